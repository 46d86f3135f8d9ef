/* tcp_ack.c - prompt acknowledgements on TCP connections (tcp_ack.h). */
#include "http/tcp_ack.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

void tcp_ack_now(int fd)
{
#ifdef TCP_QUICKACK
    int one = 1;
    if (fd >= 0)
        (void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
    (void)fd;
#endif
}

void tcp_ack_configure(int fd)
{
    int one = 1;
    if (fd < 0)
        return;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    tcp_ack_now(fd);
}
