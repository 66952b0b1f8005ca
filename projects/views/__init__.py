"""Pages and actions of the projects app, by subject. Thin: rules live in permissions and
services, figures in selectors.

pages.py      the read-only pages (dashboard, plan, projects, my work, citizens' page)
filings.py    the plan and report pages and one action view per button on them
submission.py the confirmation step before a submission, and 회수
history.py    a plan's or report's versions side by side
review.py     the review queue, bulk approval
calendar.py   the reporting calendar: periods opened, moved, closed, reopened, extended
chase.py      the 미제출·독촉 page, its 독촉 buttons and the reminder log
proposals.py  committee proposals and the departments' answers
lifecycle.py  a project's end (중단, 폐지, 통합) and a project added from a proposal
transfer.py   Excel out (workbook, templates) and in (preview, apply)
sign_ins.py   where a sign-in lands, lockouts, the keep-alive

Every view declares who may open it with permissions.permission_required_by.
"""
