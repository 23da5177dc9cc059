/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A new network namespace has only a loopback interface, down: bring it up. */
#ifndef NSU_NETLO_H
#define NSU_NETLO_H

#include "log.h"

/*
 * Bring "lo" up in this process's network namespace, over rtnetlink (no
 * ip(8) needed). Return: 0, or -1 with @e filled.
 */
int nsu_loopback_up(struct nsu_err *e);

#endif
