"""PNG pictures of the charts, drawn by kaleido in a headless Chromium; without one the report still builds."""
from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from choreographer.browsers.chromium import Chromium

BREDD = 1000
INGEN_CHROMIUM = ("Inga PNG-bilder: ingen Chromium hittades (kaleido behöver en). Installera med "
                  "`apt-get install chromium` eller peka BROWSER_PATH på en Chromium; HTML, Excel och parquet "
                  "byggs ändå.")


def finn_chromium() -> str | None:
    """The Chromium kaleido would use (the system's, or BROWSER_PATH), or None."""
    return Chromium.find_browser(skip_local=False)


def png(figurer: dict[str, tuple[str, go.Figure]], katalog: Path) -> tuple[list[Path], str | None]:
    """Writes <katalog>/<name>.png for every (heading, figure) in one browser session, the heading as the
    picture's title (on the page it stands above the chart); returns the files, or why there are none."""
    if not figurer:
        return [], None
    if finn_chromium() is None:
        return [], INGEN_CHROMIUM
    katalog.mkdir(parents=True, exist_ok=True)
    filer = [katalog / f"{namn}.png" for namn in figurer]
    bilder = [go.Figure(fig).update_layout(title_text=rubrik, margin_t=80) for rubrik, fig in figurer.values()]
    pio.write_images(bilder, filer, format="png", width=BREDD)
    return filer, None
