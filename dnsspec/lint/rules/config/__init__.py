"""CFG1xx: the specs against the zone list of providers.yaml."""
