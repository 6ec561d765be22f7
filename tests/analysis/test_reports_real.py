"""Every report of the catalogue built by its real builder (the city analysis pages' and
操作与导出审计's) on the hand-counted world of ``figures_world`` and rendered to both files: the PDF
opens and carries the figures' title and every table's title, the workbook has a sheet per table.
(tests/analysis/test_reports*.py test the service and the files with stand-in figures.)"""
import datetime as dt
import io

import openpyxl
import pypdf
import pytest

from analysis.services import reports
from analysis.services.figures import Params
from analysis.services.report_files import render_pdf, render_xlsx
from tests.conftest import rolled_back

from .figures_world import END, START, build

AT = dt.datetime(2026, 12, 1, 8, 30)


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, build) as value:
        yield value


@pytest.mark.parametrize("kind", [r.kind for r in reports.CATALOGUE])
def test_each_report_renders_its_real_figures_to_pdf_and_xlsx(w, db, kind):
    report = reports.BY_KIND[kind]
    assert reports.available(report)
    figures = reports._figures(report, w["people"].org_staff, Params(start=START, end=END))
    assert figures.tables
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(
        render_pdf(figures, by="组织部", at=AT))).pages).replace(" ", "")
    assert figures.title.replace(" ", "") in text
    for table in figures.tables:
        assert str(table.title).replace(" ", "") in text, (kind, table.title)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(figures, by="组织部", at=AT)))
    assert len(book.sheetnames) == len(figures.tables)
