"""The 任免审批表 printed: the PDF (WeasyPrint, Noto Serif SC from our static files) opens and holds the
cadre's Chinese name and the table's labels; the Word document opens (python-docx) and has the table."""
import datetime as dt
import io

import pytest
from django.contrib.staticfiles import finders

from cadres import services
from cadres.lrmx import printing, writer
from cadres.models import FamilyMember
from tests.factories import CadreFactory


@pytest.fixture
def cadre(tree, org_staff):
    c = CadreFactory(unit=tree.town_a, name="欧阳明远", rewards_sanctions="2019年获记三等功一次。")
    services.cadre_child_save(by=org_staff, model=FamilyMember, cadre=c, order=1, relation="妻子", name="李梅",
                              birth_date=dt.date(1977, 5, 1), political_status="01", work_unit_post="城关镇中学教师")
    return c


def test_the_font_comes_from_our_static_files():
    faces = printing.font_faces()
    assert faces and all(f["uri"].startswith("file://") for f in faces)
    assert finders.find("vendor/noto-serif-sc/noto-serif-sc-chinese-simplified-400-normal.woff")


def test_pdf_opens_and_contains_the_chinese_name(cadre):
    from pypdf import PdfReader

    data = printing.pdf_bytes(cadre, writer.sheet(cadre))
    assert data.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(data))
    text = "".join("".join(page.extract_text().split()) for page in pdf.pages)  # the title is letter-spaced
    assert "欧阳明远" in text and "干部任免审批表" in text and "家庭成员及重要社会关系" in text and "李梅" in text
    fonts = {str(f.get_object()["/BaseFont"]) for page in pdf.pages for f in page["/Resources"]["/Font"].values()}
    assert all("LRMX" in f for f in fonts), fonts  # only our own font, never a system one


def test_docx_opens_and_has_the_table(cadre):
    from docx import Document

    doc = Document(io.BytesIO(printing.docx_bytes(cadre, writer.sheet(cadre))))
    assert doc.paragraphs[0].text == "干部任免审批表"
    table = doc.tables[0]
    cells = [c.text for row in table.rows for c in row.cells]
    assert "欧阳明远" in cells and "姓名" in cells and "简历" in cells and "李梅" in cells
    assert "2019年获记三等功一次。" in cells
