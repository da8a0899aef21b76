#ifndef PORTCULLIS_CLIBEVENT_H
#define PORTCULLIS_CLIBEVENT_H
/* Debian's event2/event-config.h defines _GNU_SOURCE. If it is seen before glibc's <features.h>,
 * fd_set gets different member names here and in COpenSSL and the modules clash. Pull the libc
 * headers in first so both modules see the same feature macros. */
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <event2/util.h>
#endif
