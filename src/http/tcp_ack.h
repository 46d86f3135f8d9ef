/* tcp_ack.h - prompt acknowledgements on the server's TCP connections. */
#ifndef SMSPROV_HTTP_TCP_ACK_H
#define SMSPROV_HTTP_TCP_ACK_H

/* A client that writes the request headers and the body in two segments
 * without TCP_NODELAY (omicli, for one) holds the body back until its
 * headers are acknowledged (Nagle), while a server that has nothing to send
 * yet delays that acknowledgement (about 40 ms on Linux): every round trip
 * would stall.  tcp_ack_now sends a pending ACK at once and asks the kernel
 * for quick acknowledgements (Linux TCP_QUICKACK, which the kernel clears
 * again on its own, so it is set after every read); tcp_ack_configure sets
 * TCP_NODELAY on a new connection so the server's own last segment never
 * waits either.  Both ignore sockets that are not TCP and any failure: they
 * only change timing. */
void tcp_ack_now(int fd);
void tcp_ack_configure(int fd);

#endif
