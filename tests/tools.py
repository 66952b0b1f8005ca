"""The programs that print and read documents in tests (LibreOffice, poppler): skipped where
missing, except under REQUIRE_OFFICE=1 (CI installs them), where a missing one fails."""

import os
import shutil

import pytest


def office_tool(name: str) -> str:
    """The path of `name` (soffice, pdftotext, pdfinfo, pdffonts, pdftoppm)."""
    found = shutil.which(name)
    if not found:
        if os.environ.get("REQUIRE_OFFICE") == "1":
            pytest.fail(f"REQUIRE_OFFICE=1, but {name} is missing")
        pytest.skip(f"{name} is not installed")
    return found
