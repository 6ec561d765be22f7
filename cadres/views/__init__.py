"""Server-rendered roster pages (花名册, 干部档案, 单位). Views parse input, call one selector or
service of ``cadres``, and render; the permission gate decides (404 out of scope, 403 read-only)."""
from .cadre import (
    appointment_create,
    appointment_delete,
    appointment_end,
    cadre_create,
    cadre_delete,
    cadre_detail,
    cadre_edit,
    cadre_photo,
    career_create,
    career_delete,
    career_edit,
    rank_assign,
    training_create,
    training_delete,
    training_edit,
)
from .roster import cadre_export, cadre_list
from .units import (
    post_create,
    post_delete,
    post_edit,
    rank_quotas,
    unit_create,
    unit_delete,
    unit_detail,
    unit_edit,
    unit_tree,
)

__all__ = [
    "appointment_create", "appointment_delete", "appointment_end", "cadre_create", "cadre_delete", "cadre_detail",
    "cadre_edit", "cadre_export", "cadre_list", "cadre_photo", "career_create", "career_delete", "career_edit",
    "post_create", "post_delete", "post_edit", "rank_assign", "rank_quotas", "training_create", "training_delete",
    "training_edit", "unit_create", "unit_delete", "unit_detail", "unit_edit", "unit_tree",
]
