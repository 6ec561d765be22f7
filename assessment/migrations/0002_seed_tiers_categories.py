"""The tiers (层级) and categories (类别) the issue names, with default matching rules. Both stay
editable by org staff; a unit may also be placed in a category explicitly."""
from django.db import migrations

COUNTY_KINDS = ["county", "county_city", "district", "zone"]
CITY_DEPT_KINDS = ["party_dept", "gov_dept", "institution", "enterprise"]
TOWNSHIP_KINDS = ["township", "town", "subdistrict"]
TIERS = [
    ("县(市、区)党政正职", "chief", COUNTY_KINDS),
    ("县(市、区)副职", "deputy", COUNTY_KINDS),
    ("市直单位正职", "chief", CITY_DEPT_KINDS),
    ("市直单位副职", "deputy", CITY_DEPT_KINDS),
    ("乡镇(街道)党政正职", "chief", TOWNSHIP_KINDS),
    ("乡镇(街道)副职", "deputy", TOWNSHIP_KINDS),
    ("中层干部", "middle", []),
]
CATEGORIES = [
    ("综合经济部门", ["gov_dept"]),
    ("党群部门", ["party_dept"]),
    ("政法部门", []),
    ("社会事业部门", ["institution"]),
    ("县(市、区)", ["county", "county_city", "district"]),
    ("功能区", ["zone"]),
    ("国有企业", ["enterprise"]),
]


def seed(apps, schema_editor):
    Tier = apps.get_model("assessment", "Tier")
    Category = apps.get_model("assessment", "Category")
    for order, (name, post_class, kinds) in enumerate(TIERS, start=1):
        Tier.objects.get_or_create(name=name, defaults={"order": order, "post_class": post_class, "unit_kinds": kinds})
    for order, (name, kinds) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"order": order, "unit_kinds": kinds})


def unseed(apps, schema_editor):
    apps.get_model("assessment", "Tier").objects.filter(name__in=[t[0] for t in TIERS]).delete()
    apps.get_model("assessment", "Category").objects.filter(name__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
