"""The calibration page as a person reads it: a legend for the marked rows, scores in one format
(two decimals), the override form folded per row (one open at a time), no empty "无" rows."""
import re

import pytest
from django.urls import reverse

from .results_world import score_and_compute

pytestmark = pytest.mark.django_db


def test_calibration_reads_cleanly(client, org_staff, period, deputies):
    score_and_compute(org_staff, period, deputies)
    client.force_login(org_staff)
    html = client.get(reverse("assessment:calibration", args=[period.pk])).content.decode()
    assert "红框内的行：优秀名额之外，或低于该分数线" in html
    assert ">无</td>" not in html and "<tbody" in html
    body = html.split("boundary-excellent", 1)[1]
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', body)
    assert cells and all(c == "—" or re.fullmatch(r"\d+\.\d\d", c) for c in cells), cells
    forms = html.count('class="override-form"')
    assert forms and html.count('<details class="override-toggle">') == forms  # folded, one per row
