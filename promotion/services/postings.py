"""Frontline postings (墩苗育苗). To be written (issue 12).

INTERFACE (keyword-only, ``by=``, atomic; transitions table ``POSTING_TRANSITIONS`` in the shape of
``assessment.services.conduct``):

    posting_propose(*, by, fields) -> FrontlinePosting        unit leaders (``change``) and org staff
    posting_update(*, by, posting, fields) -> FrontlinePosting while proposed
    posting_withdraw(*, by, posting, reason="")               the proposer's side
    posting_approve(*, by, posting, reason="")                org staff (``reserve``)
    posting_reject(*, by, posting, reason)                    org staff, reason required
    posting_close(*, by, posting, evaluation, remarks, evaluated_on=None)   org staff
    posting_allowed_actions(posting, user) -> frozenset[str]
"""
