/* notify.c - telling a service manager how the server is doing (systemd's
 * sd_notify protocol), so a unit of Type=notify counts smsprovd as started
 * only once its doors listen.  Built without libsystemd (other systems, or
 * SMSPROV_SYSTEMD=OFF) these do nothing. */
#include "smsprovd.h"

#include <time.h>

#ifdef SMSPROVD_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

void smsprovd_notify_ready(const char *status)
{
#ifdef SMSPROVD_HAVE_SYSTEMD
    /* Without NOTIFY_SOCKET (not started by systemd) this is a no-op. */
    sd_notifyf(0, "READY=1\nSTATUS=%s", status);
#else
    (void)status;
#endif
}

void smsprovd_notify_stopping(void)
{
#ifdef SMSPROVD_HAVE_SYSTEMD
    sd_notify(0, "STOPPING=1");
#endif
}

void smsprovd_notify_reloading(void)
{
#ifdef SMSPROVD_HAVE_SYSTEMD
    /* systemd (Type=notify-reload, and sd_notify(3)) wants the moment of the
     * reload's start in CLOCK_MONOTONIC microseconds. */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
               (unsigned long long)now.tv_sec * 1000000ull +
                   (unsigned long long)now.tv_nsec / 1000ull);
#endif
}
