/* transport.c - what the transport allows: Basic over plain HTTP only from
 * loopback unless the configuration opts in (WinRM's AllowUnencrypted),
 * and which files are too open to hold secrets. */
#include "http/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/stat.h>

#include "smsprov/cim.h"

bool http_address_is_loopback(const char *numeric_address)
{
    if (!numeric_address)
        return false;
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, numeric_address, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, numeric_address, &v6) != 1)
        return false;
    if (IN6_IS_ADDR_LOOPBACK(&v6))
        return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

bool http_basic_allowed(const char *client_address, bool secure, bool allow_unencrypted)
{
    return secure || allow_unencrypted || http_address_is_loopback(client_address);
}

char *http_unencrypted_policy_text(const char *address, unsigned port, bool allow_unencrypted)
{
    if (allow_unencrypted)
        return cim_xasprintf("HTTP on %s port %u takes Basic authentication from every client "
                             "(allow_unencrypted = true in [auth]): passwords cross the network "
                             "in clear text; prefer HTTPS.",
                             address, port);
    if (http_address_is_loopback(address))
        return cim_xasprintf("HTTP on %s port %u takes Basic authentication from this machine "
                             "only (loopback).",
                             address, port);
    return cim_xasprintf("HTTP on %s port %u refuses Basic authentication from other machines, "
                         "whose passwords would cross the network in clear text: they get 401. "
                         "Use HTTPS, or set allow_unencrypted = true in [auth] (as WinRM's "
                         "AllowUnencrypted).",
                         address, port);
}

bool http_file_readable_by_others(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && (st.st_mode & S_IROTH);
}
