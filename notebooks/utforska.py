# %% [markdown]
# # Utforska finsam-lagret
# Opens the published warehouse read-only: a running build is never blocked, and this never blocks a build.
# Run the cells in VS Code or Jupyter (jupytext percent format), or as a script: `uv run python notebooks/utforska.py`.

# %%
import os
from pathlib import Path

import duckdb

data_dir = Path(os.environ.get("FINSAM_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))
con = duckdb.connect(str(data_dir / "marts" / "finsam.duckdb"), read_only=True)

# %% Förbund totals of unique individuals, one row per förbund and year
con.sql("""
    select forbund, ar, deltagare, nyinskrivna, avslutade, avslut_arbete_studier, avslut_jobb_studieredo, kalla
    from marts.deltagare_ar where insats = '*' order by forbund, ar
""").show(max_rows=100)

# %% What needs attention: warnings and rejected files
con.sql("""
    select allvarlighet, regel, forbund, ar, fil, rad, kolumn, hittat, forvantat, beskrivning
    from marts.datakvalitet where allvarlighet <> 'info'
""").show(max_rows=100, max_width=200)

# %% Which files this warehouse was built from
con.sql("select fil, status, rader, andrad from marts.inlasta_filer").show()
