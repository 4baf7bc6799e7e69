"""Where the report's PDFs and PNG pictures come from: a headless Chromium (finsam.report.utskrift draws them);
without one the report still builds, and says why there are none."""
from __future__ import annotations

from choreographer.browsers.chromium import Chromium

INGEN_CHROMIUM = ("Inga PDF- eller PNG-filer: ingen Chromium hittades. Installera med `apt-get install chromium` "
                  "eller peka BROWSER_PATH på en Chromium; HTML, Excel och parquet byggs ändå.")


def finn_chromium() -> str | None:
    """The Chromium to use (the system's, or BROWSER_PATH), or None."""
    return Chromium.find_browser(skip_local=False)
