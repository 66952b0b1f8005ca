from projects.management.importing import ImportCommand


class Command(ImportCommand):
    help = "계획 구조 양식(부서·사업·성과지표·목표)으로 사업 목록을 바꿉니다 (모두 올바를 때만)."
    kind = "plan"
