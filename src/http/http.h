#ifndef KESU_HTTP_HTTP_H
#define KESU_HTTP_HTTP_H

#include "util/config.h"
#include "util/err.h"

/*
 * The HTTP server: libmicrohttpd with its own thread pool (poll), the JSON
 * API under /api/. Reads use a pool of read connections on the HTTP
 * threads; writes are suspended requests served by the group-commit writer.
 */
struct http_server;

/*
 * Open the store named by cfg->db_path, bind and start serving. The bound
 * port (useful when cfg->listen_port is 0) is in *port_out.
 */
struct http_server *http_server_start(const struct config *cfg, int *port_out, struct err *e);

/* Stop accepting, finish what is in flight, close everything. NULL is a no-op. */
void http_server_stop(struct http_server *srv);

#endif
