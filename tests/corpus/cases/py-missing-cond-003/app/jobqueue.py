"""Priority job queue for the thumbnail workers."""
import heapq
import itertools


class Job:
    def __init__(self, job_id, payload, priority=0):
        self.id = job_id
        self.payload = payload
        self.priority = priority
        self.cancelled = False


class JobQueue:
    def __init__(self):
        self._heap = []
        self._jobs = {}
        self._seq = itertools.count()

    def push(self, job_id, payload, priority=0):
        if job_id in self._jobs:
            raise KeyError("duplicate job id %r" % job_id)
        job = Job(job_id, payload, priority)
        self._jobs[job_id] = job
        heapq.heappush(self._heap, (-priority, next(self._seq), job))
        return job

    def cancel(self, job_id):
        job = self._jobs.get(job_id)
        if job is None:
            return False
        job.cancelled = True
        return True

    def pop(self):
        """Highest priority first, FIFO within a priority; None when empty."""
        while self._heap:
            _, _, job = heapq.heappop(self._heap)
            del self._jobs[job.id]
            return job
        return None

    def __len__(self):
        return sum(1 for j in self._jobs.values() if not j.cancelled)

    def drain(self):
        out = []
        job = self.pop()
        while job is not None:
            out.append(job.id)
            job = self.pop()
        return out
