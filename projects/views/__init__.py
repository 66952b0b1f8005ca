"""Pages and actions of the projects app, by subject. Thin: rules live in permissions and
services, figures in selectors.

pages.py      the read-only pages (dashboard, plan, projects, my work, citizens' page)
filings.py    the plan and report pages and one action view per button on them
history.py    a plan's or report's versions side by side
review.py     the review queue, bulk approval, reporting periods
proposals.py  committee proposals and the departments' answers
transfer.py   Excel out (workbook, templates) and in (preview, apply)

Every view declares who may open it with permissions.permission_required_by.
"""
