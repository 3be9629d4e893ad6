from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "homeward.returns"
    label = "returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from homeward.registry import demo as registry_demo
        from homeward.registry.signals import recorded_event
        from homeward.registry.workflow import CaseStatus, gates_for, register_gate
        from homeward.returns import checklist, services
        from homeward.returns.demo import prepare_demo_step

        for source, target, gate in ((CaseStatus.VERIFYING, CaseStatus.CLEARED_FOR_RETURN, checklist.clearance_gate),
                                     (CaseStatus.REUNITED, CaseStatus.CLOSED, checklist.closure_gate)):
            if gate not in gates_for(source, target):
                register_gate(source, target, gate)
        recorded_event.connect(services.on_case_event, dispatch_uid="homeward.returns.follow_ups")
        if prepare_demo_step not in registry_demo.STEP_HOOKS:
            registry_demo.STEP_HOOKS.append(prepare_demo_step)
