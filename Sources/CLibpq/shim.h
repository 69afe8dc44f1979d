#ifndef RAPPORT_CLIBPQ_SHIM_H
#define RAPPORT_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#include <poll.h>
#endif
