from projects.management.importing import ImportCommand


class Command(ImportCommand):
    help = "채운 분기실적 양식(xlsx)을 반영합니다. 모든 행이 올바를 때만, 한 번에 반영합니다."
    kind = "reports"
