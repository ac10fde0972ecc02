"""Job batch bookkeeping for the export worker."""

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"


class Batch:
    def __init__(self, name, job_ids):
        self.name = name
        self.state = {jid: PENDING for jid in job_ids}

    def start(self, jid):
        self._transition(jid, PENDING, RUNNING)

    def finish(self, jid, ok=True):
        self._transition(jid, RUNNING, DONE if ok else FAILED)

    def _transition(self, jid, expected, new):
        current = self.state.get(jid)
        if current is None:
            raise KeyError("unknown job %r" % jid)
        if current != expected:
            raise RuntimeError("job %r is %s, expected %s" % (jid, current, expected))
        self.state[jid] = new

    def counts(self):
        out = {PENDING: 0, RUNNING: 0, DONE: 0, FAILED: 0}
        for s in self.state.values():
            out[s] += 1
        return out

    def progress(self):
        """Percentage of finished (done or failed) jobs; an empty batch is complete."""
        total = len(self.state)
        c = self.counts()
        return round(100.0 * (c[DONE] + c[FAILED]) / total, 1)

    def is_complete(self):
        return self.progress() >= 100.0

    def report(self):
        c = self.counts()
        return "%s: %s%% (%d ok, %d failed)" % (self.name, self.progress(), c[DONE], c[FAILED])
