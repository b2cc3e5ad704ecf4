"""One module per dimension; importing this package registers every indicator."""

from . import (  # noqa: F401
    community_building,
    objective_accomplishment,
    monetary_value,
    social_use_value,
    reputation,
)
