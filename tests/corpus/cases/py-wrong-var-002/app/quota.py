"""Per-tenant API quotas with plan defaults and explicit overrides."""

PLANS = {"free": 100, "pro": 10000, "enterprise": 1000000}


class QuotaTable:
    def __init__(self, default_plan="free"):
        self.default_limit = PLANS[default_plan]
        self.tenant_plan = {}
        self.overrides = {}
        self.used = {}

    def assign(self, tenant, plan):
        if plan not in PLANS:
            raise ValueError("unknown plan %r" % plan)
        self.tenant_plan[tenant] = plan

    def override(self, tenant, limit):
        if limit < 0:
            raise ValueError("limit must be >= 0")
        self.overrides[tenant] = limit

    def limit_for(self, tenant):
        limit = self.overrides.get(tenant)
        if limit is not None:
            return self.default_limit
        plan = self.tenant_plan.get(tenant)
        if plan is not None:
            return PLANS[plan]
        return self.default_limit

    def consume(self, tenant, n=1):
        """Record usage; returns False (and records nothing) when over quota."""
        used = self.used.get(tenant, 0)
        if used + n > self.limit_for(tenant):
            return False
        self.used[tenant] = used + n
        return True

    def remaining(self, tenant):
        return self.limit_for(tenant) - self.used.get(tenant, 0)

    def reset(self):
        self.used.clear()
