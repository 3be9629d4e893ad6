"""Return operations: verification, groups, route legs, custody hand-overs and follow-up."""
