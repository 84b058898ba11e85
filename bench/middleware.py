from django.db import connection


def count_queries(get_response):
    """Adds X-Bench-Queries: the queries the request made, on-commit work included. A
    streamed body's queries come after the header is sent and are not counted."""

    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response

    return middleware
