/* zirv SDK: time types and unit helpers of the Zircon ABI.
 *
 * Every time quantity is a signed 64-bit count of nanoseconds (or of ticks
 * for the *_ticks_t types). The timeline-specific names (mono/boot) and the
 * older generic names (zx_time_t, zx_duration_t) are the same C type, so
 * either spelling compiles. The arithmetic helpers saturate at
 * ZX_TIME_INFINITE / ZX_TIME_INFINITE_PAST instead of wrapping. */
#ifndef ZIRCON_TIME_H_
#define ZIRCON_TIME_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t zx_instant_mono_t;
typedef int64_t zx_instant_mono_ticks_t;
typedef int64_t zx_duration_mono_t;
typedef int64_t zx_duration_mono_ticks_t;
typedef int64_t zx_instant_boot_t;
typedef int64_t zx_instant_boot_ticks_t;
typedef int64_t zx_duration_boot_t;
typedef int64_t zx_duration_boot_ticks_t;

/* Timeline-agnostic spellings, kept for source compatibility. */
typedef int64_t zx_time_t;
typedef int64_t zx_duration_t;
typedef int64_t zx_ticks_t;

#define ZX_TIME_INFINITE      INT64_MAX
#define ZX_TIME_INFINITE_PAST INT64_MIN

/* Saturating arithmetic. On overflow the true result lies beyond the range
 * of int64_t; its sign is the sign the wrapped value does *not* have. */
static inline int64_t zx__time_saturate(int64_t wrapped)
{
	return wrapped >= 0 ? ZX_TIME_INFINITE_PAST : ZX_TIME_INFINITE;
}

static inline zx_time_t zx_time_add_duration(zx_time_t t, zx_duration_t d)
{
	zx_time_t r;
	return __builtin_add_overflow(t, d, &r) ? zx__time_saturate(r) : r;
}

static inline zx_time_t zx_time_sub_duration(zx_time_t t, zx_duration_t d)
{
	zx_time_t r;
	return __builtin_sub_overflow(t, d, &r) ? zx__time_saturate(r) : r;
}

static inline zx_duration_t zx_time_sub_time(zx_time_t a, zx_time_t b)
{
	zx_duration_t r;
	return __builtin_sub_overflow(a, b, &r) ? zx__time_saturate(r) : r;
}

static inline zx_duration_t zx_duration_add_duration(zx_duration_t a, zx_duration_t b)
{
	zx_duration_t r;
	return __builtin_add_overflow(a, b, &r) ? zx__time_saturate(r) : r;
}

static inline zx_duration_t zx_duration_sub_duration(zx_duration_t a, zx_duration_t b)
{
	zx_duration_t r;
	return __builtin_sub_overflow(a, b, &r) ? zx__time_saturate(r) : r;
}

static inline zx_duration_t zx_duration_mul_int64(zx_duration_t d, int64_t m)
{
	zx_duration_t r;
	if (__builtin_mul_overflow(d, m, &r)) {
		/* Same signs overflow upwards, different signs downwards. */
		return ((d > 0) == (m > 0)) ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
	}
	return r;
}

static inline zx_ticks_t zx_ticks_add_ticks(zx_ticks_t a, zx_ticks_t b)
{
	zx_ticks_t r;
	return __builtin_add_overflow(a, b, &r) ? zx__time_saturate(r) : r;
}

static inline zx_ticks_t zx_ticks_sub_ticks(zx_ticks_t a, zx_ticks_t b)
{
	zx_ticks_t r;
	return __builtin_sub_overflow(a, b, &r) ? zx__time_saturate(r) : r;
}

static inline zx_ticks_t zx_ticks_mul_int64(zx_ticks_t t, int64_t m)
{
	return zx_duration_mul_int64(t, m);
}

static inline int64_t zx_nsec_from_duration(zx_duration_t n)
{
	return n;
}
static inline zx_duration_t zx_duration_from_nsec(int64_t n)
{
	return n;
}
static inline zx_duration_t zx_duration_from_usec(int64_t n)
{
	return zx_duration_mul_int64(1000, n);
}
static inline zx_duration_t zx_duration_from_msec(int64_t n)
{
	return zx_duration_mul_int64(1000000, n);
}
static inline zx_duration_t zx_duration_from_sec(int64_t n)
{
	return zx_duration_mul_int64(1000000000, n);
}
static inline zx_duration_t zx_duration_from_min(int64_t n)
{
	return zx_duration_mul_int64(60000000000, n);
}
static inline zx_duration_t zx_duration_from_hour(int64_t n)
{
	return zx_duration_mul_int64(3600000000000, n);
}

/* Unit macros. A compile-time constant argument gives a plain constant
 * expression (usable in static initialisers); anything else goes through
 * the saturating helpers above. */
#define ZX_NSEC(n)                                                                                 \
	(__builtin_constant_p(n) ? ((zx_duration_t)(1LL * (n))) : zx_duration_from_nsec(n))
#define ZX_USEC(n)                                                                                 \
	(__builtin_constant_p(n) ? ((zx_duration_t)(1000LL * (n))) : zx_duration_from_usec(n))
#define ZX_MSEC(n)                                                                                 \
	(__builtin_constant_p(n) ? ((zx_duration_t)(1000000LL * (n))) : zx_duration_from_msec(n))
#define ZX_SEC(n)                                                                                  \
	(__builtin_constant_p(n) ? ((zx_duration_t)(1000000000LL * (n))) : zx_duration_from_sec(n))
#define ZX_MIN(n)                                                                                  \
	(__builtin_constant_p(n) ? ((zx_duration_t)(60LL * 1000000000LL * (n)))                    \
				 : zx_duration_from_min(n))
#define ZX_HOUR(n)                                                                                 \
	(__builtin_constant_p(n) ? ((zx_duration_t)(3600LL * 1000000000LL * (n)))                  \
				 : zx_duration_from_hour(n))

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_TIME_H_ */
