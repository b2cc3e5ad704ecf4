"""One module per dimension; importing this package registers every indicator."""

from . import (  # noqa: F401
    community_building,
    ecological_value,
    monetary_value,
    objective_accomplishment,
    reputation,
    social_use_value,
)
