from django.contrib import admin

from .models import Direction, Phase, Plan, Task


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class DirectionInline(admin.TabularInline):
    model = Direction
    extra = 0


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "vision", "start_year", "end_year", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "vision", "goal"]
    inlines = [PhaseInline, DirectionInline]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "plan", "start_year", "end_year"]
    list_filter = ["plan"]
    search_fields = ["name", "description"]


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "weight", "plan"]
    list_editable = ["weight"]
    list_filter = ["plan"]
    search_fields = ["name", "name_en"]
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "name", "direction", "weight"]
    list_editable = ["weight"]
    list_filter = ["direction__plan", "direction"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = ["direction"]
