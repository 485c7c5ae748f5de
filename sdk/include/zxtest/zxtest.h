/* zirv SDK: zxtest, a small C test harness in the style of Fuchsia's zxtest.
 *
 *   #include <zxtest/zxtest.h>
 *
 *   TEST(Vmo, CreateAndClose) {
 *           zx_handle_t vmo;
 *           ASSERT_OK(zx_vmo_create(4096, 0, &vmo));
 *           EXPECT_NE(vmo, ZX_HANDLE_INVALID);
 *           EXPECT_OK(zx_handle_close(vmo));
 *   }
 *
 * Link with -lzxtest. Its default main() runs every TEST in the order the
 * program defines them and prints TAP version 13 on stdout: "1..N", then
 * "ok I - Suite.Name" or "not ok I - Suite.Name" per test, each failed
 * check as a "# file:line: expected ..., got ..." comment. The exit status
 * is 0 when every test passed and 1 otherwise. A program with its own
 * main() calls RUN_ALL_TESTS() instead.
 *
 * EXPECT_* records a failure and goes on; ASSERT_* records it and returns
 * from the current function, so use ASSERT_* only in functions returning
 * void. Every check takes an optional printf-style message after its
 * operands: ASSERT_OK(st, "mapping page %d", i).
 *
 * EQ/NE compare integers, enums, handles and pointers (as 64-bit values);
 * STATUS/OK compare zx_status_t values and print their names.
 */
#ifndef ZXTEST_ZXTEST_H_
#define ZXTEST_ZXTEST_H_

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zxtest_case {
	const char *suite;
	const char *name;
	void (*fn)(void);
	struct zxtest_case *next;
} zxtest_case_t;

/* Adds a test to the end of the run list (TEST() does this from a
 * constructor, before main). */
void zxtest_register(zxtest_case_t *test);

/* Runs every registered test, printing TAP; returns 0 if all passed. */
int zxtest_run_all(void);
#define RUN_ALL_TESTS() zxtest_run_all()

/* True once a check in the running test has failed. */
bool zxtest_current_test_failed(void);
#define CURRENT_TEST_HAS_FAILURES() zxtest_current_test_failed()

/* Failure reporting behind the check macros; each returns true when the
 * check passed. msg is a printf format that starts with a space (the
 * macros prepend one so that an absent message is an empty format). */
bool zxtest_check_bool(bool value, bool want, const char *expr, const char *file, int line,
		       const char *msg, ...) __attribute__((format(printf, 6, 7)));
bool zxtest_check_eq(bool want_equal, int64_t a, int64_t b, const char *expr_a, const char *expr_b,
		     const char *file, int line, const char *msg, ...)
    __attribute__((format(printf, 8, 9)));
bool zxtest_check_status(zx_status_t actual, zx_status_t expected, const char *expr,
			 const char *file, int line, const char *msg, ...)
    __attribute__((format(printf, 6, 7)));
bool zxtest_check_str(const char *a, const char *b, const char *expr_a, const char *expr_b,
		      const char *file, int line, const char *msg, ...)
    __attribute__((format(printf, 7, 8)));

#define ZXTEST_CASE_(suite, name) zxtest_case_##suite##__##name
#define ZXTEST_BODY_(suite, name) zxtest_body_##suite##__##name
#define ZXTEST_CTOR_(suite, name) zxtest_ctor_##suite##__##name

/* Defines and registers one test; the braces after it are the body. */
#define TEST(suite, name)                                                                          \
	static void ZXTEST_BODY_(suite, name)(void);                                               \
	static zxtest_case_t ZXTEST_CASE_(suite, name) = {#suite, #name,                           \
							  ZXTEST_BODY_(suite, name), NULL};        \
	__attribute__((constructor)) static void ZXTEST_CTOR_(suite, name)(void)                   \
	{                                                                                          \
		zxtest_register(&ZXTEST_CASE_(suite, name));                                       \
	}                                                                                          \
	static void ZXTEST_BODY_(suite, name)(void)

/* Operands are evaluated exactly once. The int64_t conversion keeps the
 * comparison free of signed/unsigned surprises: two values are equal when
 * their 64-bit patterns are. */
#define ZXTEST_EQ_(fatal, want_equal, a, b, sa, sb, ...)                                           \
	do {                                                                                       \
		int64_t zxtest_a_ = (int64_t)(a);                                                  \
		int64_t zxtest_b_ = (int64_t)(b);                                                  \
		if (!zxtest_check_eq(want_equal, zxtest_a_, zxtest_b_, sa, sb, __FILE__, __LINE__, \
				     " " __VA_ARGS__) &&                                           \
		    (fatal))                                                                       \
			return;                                                                    \
	} while (0)

#define ZXTEST_BOOL_(fatal, want, cond, scond, ...)                                                \
	do {                                                                                       \
		if (!zxtest_check_bool(!!(cond), want, scond, __FILE__, __LINE__,                  \
				       " " __VA_ARGS__) &&                                         \
		    (fatal))                                                                       \
			return;                                                                    \
	} while (0)

#define ZXTEST_STATUS_(fatal, actual, expected, sactual, ...)                                      \
	do {                                                                                       \
		if (!zxtest_check_status((actual), (expected), sactual, __FILE__, __LINE__,        \
					 " " __VA_ARGS__) &&                                       \
		    (fatal))                                                                       \
			return;                                                                    \
	} while (0)

#define ZXTEST_STR_(fatal, a, b, sa, sb, ...)                                                      \
	do {                                                                                       \
		if (!zxtest_check_str((a), (b), sa, sb, __FILE__, __LINE__, " " __VA_ARGS__) &&    \
		    (fatal))                                                                       \
			return;                                                                    \
	} while (0)

#define ASSERT_EQ(a, b, ...)	 ZXTEST_EQ_(true, true, a, b, #a, #b, __VA_ARGS__)
#define ASSERT_NE(a, b, ...)	 ZXTEST_EQ_(true, false, a, b, #a, #b, __VA_ARGS__)
#define ASSERT_TRUE(c, ...)	 ZXTEST_BOOL_(true, true, c, #c, __VA_ARGS__)
#define ASSERT_FALSE(c, ...)	 ZXTEST_BOOL_(true, false, c, #c, __VA_ARGS__)
#define ASSERT_NULL(p, ...)	 ZXTEST_EQ_(true, true, p, 0, #p, "NULL", __VA_ARGS__)
#define ASSERT_NOT_NULL(p, ...)	 ZXTEST_EQ_(true, false, p, 0, #p, "NULL", __VA_ARGS__)
#define ASSERT_OK(s, ...)	 ZXTEST_STATUS_(true, s, ZX_OK, #s, __VA_ARGS__)
#define ASSERT_STATUS(s, e, ...) ZXTEST_STATUS_(true, s, e, #s, __VA_ARGS__)
#define ASSERT_STREQ(a, b, ...)	 ZXTEST_STR_(true, a, b, #a, #b, __VA_ARGS__)

#define EXPECT_EQ(a, b, ...)	 ZXTEST_EQ_(false, true, a, b, #a, #b, __VA_ARGS__)
#define EXPECT_NE(a, b, ...)	 ZXTEST_EQ_(false, false, a, b, #a, #b, __VA_ARGS__)
#define EXPECT_TRUE(c, ...)	 ZXTEST_BOOL_(false, true, c, #c, __VA_ARGS__)
#define EXPECT_FALSE(c, ...)	 ZXTEST_BOOL_(false, false, c, #c, __VA_ARGS__)
#define EXPECT_NULL(p, ...)	 ZXTEST_EQ_(false, true, p, 0, #p, "NULL", __VA_ARGS__)
#define EXPECT_NOT_NULL(p, ...)	 ZXTEST_EQ_(false, false, p, 0, #p, "NULL", __VA_ARGS__)
#define EXPECT_OK(s, ...)	 ZXTEST_STATUS_(false, s, ZX_OK, #s, __VA_ARGS__)
#define EXPECT_STATUS(s, e, ...) ZXTEST_STATUS_(false, s, e, #s, __VA_ARGS__)
#define EXPECT_STREQ(a, b, ...)	 ZXTEST_STR_(false, a, b, #a, #b, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* ZXTEST_ZXTEST_H_ */
