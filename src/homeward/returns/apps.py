from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "homeward.returns"
    label = "returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from homeward.registry import demo as registry_demo
        from homeward.registry.workflow import CaseStatus, gates_for, register_gate
        from homeward.returns import checklist
        from homeward.returns.demo import prepare_demo_step

        for source, target, gate in ((CaseStatus.VERIFYING, CaseStatus.CLEARED_FOR_RETURN, checklist.clearance_gate),
                                     (CaseStatus.REUNITED, CaseStatus.CLOSED, checklist.closure_gate)):
            if gate not in gates_for(source, target):
                register_gate(source, target, gate)
        if prepare_demo_step not in registry_demo.STEP_HOOKS:
            registry_demo.STEP_HOOKS.append(prepare_demo_step)
