/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <unistd.h>

#include "netlo.h"
#include "util.h"

int nsu_loopback_up(struct nsu_err *e)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
			.nlmsg_type = RTM_NEWLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			.nlmsg_seq = 1 },
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_change = IFF_UP, .ifi_flags = IFF_UP },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr nh;
		char buf[512];
	} ack;
	_cleanup_close_ int fd = -1;
	ssize_t n;

	req.ifi.ifi_index = (int)if_nametoindex("lo");
	if (req.ifi.ifi_index == 0)
		return nsu_fail(e, errno, "no loopback interface in the new network namespace: %s",
				strerror(errno));
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return nsu_fail(e, errno, "cannot open a netlink socket: %s", strerror(errno));
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return nsu_fail(e, errno, "cannot ask for the loopback interface: %s",
				strerror(errno));
	do
		n = recv(fd, &ack, sizeof(ack), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return nsu_fail(e, errno, "no answer about the loopback interface: %s",
				strerror(errno));
	if ((size_t)n >= NLMSG_LENGTH(sizeof(struct nlmsgerr)) && ack.nh.nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = NLMSG_DATA(&ack.nh);

		if (err->error)
			return nsu_fail(e, -err->error, "cannot bring the loopback interface up: %s",
					strerror(-err->error));
		return 0;
	}
	return nsu_fail(e, EPROTO, "an unexpected answer about the loopback interface");
}
