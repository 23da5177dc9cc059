/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What nsu does differently when built with AddressSanitizer (--enable-sanitizers). */
#ifndef NSU_SANITIZE_H
#define NSU_SANITIZE_H

#if defined(__SANITIZE_ADDRESS__)
#define NSU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NSU_ASAN 1
#endif
#endif

#ifdef NSU_ASAN
#include <sanitizer/lsan_interface.h>
#endif

/*
 * LeakSanitizer looks for leaks at exit from a tracer process it clones.
 * Once nsu has entered a pid namespace for its children, that tracer starts
 * there, cannot see nsu as its parent and gives up, and nsu waits for it
 * forever. nsu_leak_check_now() runs the check before that (once: not again
 * at exit). Without the sanitizer it does nothing.
 */
static inline void nsu_leak_check_now(void)
{
#ifdef NSU_ASAN
	__lsan_do_leak_check();
#endif
}

#endif
