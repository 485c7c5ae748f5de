/*
 * zxtest.c: the run list, the TAP report and the failure messages behind
 * <zxtest/zxtest.h>.
 *
 * Output is TAP version 13 on stdout. A failed check prints its comment
 * as soon as it happens, ahead of the test's "not ok" line, so the cause
 * is on the console even if the test then crashes the process.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zircon/status.h>
#include <zxtest/zxtest.h>

static zxtest_case_t *tests_head;
static zxtest_case_t **tests_tail = &tests_head;
static bool current_failed;

void zxtest_register(zxtest_case_t *test)
{
	test->next = NULL;
	*tests_tail = test;
	tests_tail = &test->next;
}

bool zxtest_current_test_failed(void)
{
	return current_failed;
}

/* Ends a failure comment: the caller's optional message (its format
 * starts with the space the check macros add), then the newline. */
static void finish_failure(const char *msg, va_list ap)
{
	if (msg[0] == ' ' && msg[1] != '\0') {
		fputs(":", stdout);
		vprintf(msg, ap);
	}
	fputc('\n', stdout);
	current_failed = true;
}

bool zxtest_check_bool(bool value, bool want, const char *expr, const char *file, int line,
		       const char *msg, ...)
{
	if (value == want)
		return true;
	printf("# %s:%d: expected %s to be %s, got %s", file, line, expr, want ? "true" : "false",
	       value ? "true" : "false");
	va_list ap;
	va_start(ap, msg);
	finish_failure(msg, ap);
	va_end(ap);
	return false;
}

bool zxtest_check_eq(bool want_equal, int64_t a, int64_t b, const char *expr_a, const char *expr_b,
		     const char *file, int line, const char *msg, ...)
{
	if ((a == b) == want_equal)
		return true;
	printf("# %s:%d: expected %s %s %s, got %lld (0x%llx) %s %lld (0x%llx)", file, line, expr_a,
	       want_equal ? "==" : "!=", expr_b, (long long)a, (unsigned long long)a,
	       want_equal ? "vs" : "==", (long long)b, (unsigned long long)b);
	va_list ap;
	va_start(ap, msg);
	finish_failure(msg, ap);
	va_end(ap);
	return false;
}

bool zxtest_check_status(zx_status_t actual, zx_status_t expected, const char *expr,
			 const char *file, int line, const char *msg, ...)
{
	if (actual == expected)
		return true;
	printf("# %s:%d: expected %s to be %s (%d), got %s (%d)", file, line, expr,
	       zx_status_get_string(expected), (int)expected, zx_status_get_string(actual),
	       (int)actual);
	va_list ap;
	va_start(ap, msg);
	finish_failure(msg, ap);
	va_end(ap);
	return false;
}

bool zxtest_check_str(const char *a, const char *b, const char *expr_a, const char *expr_b,
		      const char *file, int line, const char *msg, ...)
{
	if (a == b || (a != NULL && b != NULL && strcmp(a, b) == 0))
		return true;
	printf("# %s:%d: expected %s == %s, got \"%s\" vs \"%s\"", file, line, expr_a, expr_b,
	       a ? a : "(null)", b ? b : "(null)");
	va_list ap;
	va_start(ap, msg);
	finish_failure(msg, ap);
	va_end(ap);
	return false;
}

int zxtest_run_all(void)
{
	unsigned total = 0, failed = 0, number = 0;
	for (zxtest_case_t *t = tests_head; t != NULL; t = t->next)
		total++;
	printf("TAP version 13\n1..%u\n", total);
	for (zxtest_case_t *t = tests_head; t != NULL; t = t->next) {
		current_failed = false;
		t->fn();
		number++;
		if (current_failed)
			failed++;
		printf("%s %u - %s.%s\n", current_failed ? "not ok" : "ok", number, t->suite,
		       t->name);
	}
	printf("# %u passed, %u failed\n", total - failed, failed);
	fflush(stdout);
	return failed == 0 ? 0 : 1;
}
