"""RQ's scheduler as a process of its own: it puts jobs whose time has come (a webhook delivery's
retry, enqueued with enqueue_in) into their queue.

`rqworker --with-scheduler` runs the same scheduler in a child process it forks. When that worker
is killed with SIGKILL (by hand, or by the kernel's out-of-memory killer) the child lives on as an
orphan, holding the scheduler's lock, and nothing stops it with the site; `./run site` therefore
runs this command as one more supervised process. One scheduler at a time holds a queue's lock in
Redis: a second one (or this one, restarted while its killed predecessor's lock runs out, about a
minute) waits, and takes the lock over within two minutes of it expiring."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Runs RQ's scheduler in the foreground for the given queues (default: default)."

    def add_arguments(self, parser):
        parser.add_argument("queues", nargs="*", default=["default"])

    def handle(self, *args, queues, **options):
        import os

        import django_rq
        from rq.scheduler import RQScheduler

        scheduler = RQScheduler(queues, connection=django_rq.get_connection(queues[0]))
        self.stdout.write(f"Scheduler for {', '.join(queues)} started with PID {os.getpid()}")
        scheduler.work()  # stops on SIGTERM or SIGINT, giving its lock back
