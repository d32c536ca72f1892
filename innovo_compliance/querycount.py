"""Benchmark instrumentation: with QUERY_COUNT_HEADER=true every response carries
X-Query-Count (SQL queries run for it) and X-App-Time-Ms. Off by default."""

import time

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counted = [0]

        def count(execute, sql, params, many, context):
            counted[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        response["X-Query-Count"] = str(counted[0])
        response["X-App-Time-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
        return response
