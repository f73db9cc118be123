"""Writes to a plan's SWOT items and PESTEL drivers: planning.services' list services (version
check, reorder within the plan, locked-plan refusal, audit) with this app's lists."""

from __future__ import annotations

from planning import services
from swot.editing import PESTEL, SWOT


def swot_item_create(*, plan, by, data: dict, submission_token: str = ""):
    return services.list_item_create(
        spec=SWOT, plan=plan, by=by, data=data, submission_token=submission_token
    )


def swot_item_update(*, plan, pk: int, by, expected_version: int, data: dict):
    return services.list_item_update(
        spec=SWOT, plan=plan, pk=pk, by=by, expected_version=expected_version, data=data
    )


def swot_item_move(*, plan, pk: int, direction: str, by, expected_version: int):
    return services.list_item_move(
        spec=SWOT, plan=plan, pk=pk, direction=direction, by=by, expected_version=expected_version
    )


def swot_item_delete(*, plan, pk: int, by, expected_version: int) -> None:
    services.list_item_delete(spec=SWOT, plan=plan, pk=pk, by=by, expected_version=expected_version)


def pestel_driver_create(*, plan, by, data: dict, submission_token: str = ""):
    return services.list_item_create(
        spec=PESTEL, plan=plan, by=by, data=data, submission_token=submission_token
    )


def pestel_driver_update(*, plan, pk: int, by, expected_version: int, data: dict):
    return services.list_item_update(
        spec=PESTEL, plan=plan, pk=pk, by=by, expected_version=expected_version, data=data
    )


def pestel_driver_move(*, plan, pk: int, direction: str, by, expected_version: int):
    return services.list_item_move(
        spec=PESTEL, plan=plan, pk=pk, direction=direction, by=by, expected_version=expected_version
    )


def pestel_driver_delete(*, plan, pk: int, by, expected_version: int) -> None:
    services.list_item_delete(
        spec=PESTEL, plan=plan, pk=pk, by=by, expected_version=expected_version
    )
