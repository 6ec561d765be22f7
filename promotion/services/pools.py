"""Pools with their criteria and weights, industries and categories. To be written (issue 12).

INTERFACE (keyword-only, ``by=`` the acting user, gate action ``reserve``, atomic):

    pool_save(*, by, pool=None, fields: dict, criteria: list[dict]) -> ReservePool
        the pool's fields and its whole criteria list, all or nothing; every problem at once as
        one ValidationError {field: [messages]}: weights that do not sum to 100, a criterion's
        parameters (``eligibility.criteria_validate``), a kind twice.
"""
