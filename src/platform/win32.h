/*
 * platform/win32.h - helpers the Windows-only files share: smsprov's
 * strings are UTF-8, Windows' wide APIs take UTF-16.
 */
#ifndef SMSPROV_PLATFORM_WIN32_H
#define SMSPROV_PLATFORM_WIN32_H

#include <wchar.h>

/* text as UTF-16, or NULL (errno EILSEQ) when it is not valid UTF-8.
 * Caller frees. */
wchar_t *platform_utf16(const char *text);

/* text as UTF-8 (unpaired surrogates become U+FFFD).  Caller frees. */
char *platform_utf8(const wchar_t *text);

/* The system's sentence for a Win32 error code (GetLastError()), without
 * the trailing period and line break.  Caller frees. */
char *platform_win32_message(unsigned long code);

/* Sets errno from a Win32 error code, for functions that report the POSIX
 * way. */
void platform_set_errno(unsigned long code);

#endif
