/* notify.c - telling a service manager how the server is doing (systemd's
 * sd_notify protocol), so a unit of Type=notify counts smsprovd as started
 * only once its doors listen.  Built without libsystemd (other systems, or
 * SMSPROV_SYSTEMD=OFF) these do nothing. */
#include "smsprovd.h"

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
