// SPDX-License-Identifier: MIT
/*
 * kops: the operations the kernel tests perform inside the test guest, each reporting its result as an exit
 * status (0 success, 10 + errno on failure), and the timing loops of the measurements.
 *
 *   kops [-c CGROUP_DIR] open PATH                 open(PATH, O_RDONLY)
 *   kops [-c CGROUP_DIR] exec PATH [ARG...]        fork + execv; the child's execv error is the result
 *   kops [-c CGROUP_DIR] connect ADDR PORT         listen on ADDR:PORT (the IPv4 address for an IPv4-mapped
 *                                                  ADDR), then connect to ADDR:PORT (TCP; AF_INET6 if ADDR has ':')
 *   kops [-c CGROUP_DIR] bench open|exec|connect TARGET [PORT] N
 *                                                  N timed calls; prints "median_ns=M" (the median of N)
 *
 * -c joins the cgroup first (writes its pid to CGROUP_DIR/cgroup.procs), so the operation is the agent's.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int join_cgroup(const char *dir)
{
	char p[512], pid[32];
	snprintf(p, sizeof p, "%s/cgroup.procs", dir);
	int fd = open(p, O_WRONLY);
	if (fd < 0)
		return -1;
	int n = snprintf(pid, sizeof pid, "%d", getpid());
	int ok = write(fd, pid, n) == n;
	close(fd);
	return ok ? 0 : -1;
}

static int do_open(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 10 + errno;
	close(fd);
	return 0;
}

static int do_exec(char **argv)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 1);
		execv(argv[0], argv);
		int e = errno;
		if (write(pfd[1], &e, sizeof e) < 0)
			_exit(126);
		_exit(127);
	}
	close(pfd[1]);
	int e = 0;
	ssize_t n = read(pfd[0], &e, sizeof e);
	close(pfd[0]);
	int st;
	waitpid(pid, &st, 0);
	if (n == sizeof e)
		return 10 + e;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 2;
}

struct endpoint { struct sockaddr_storage sa; socklen_t len; int family; };

static int endpoint(const char *addr, int port, struct endpoint *ep)
{
	memset(ep, 0, sizeof *ep);
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ep->sa;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &s->sin6_addr) != 1)
			return -1;
		ep->len = sizeof *s;
		ep->family = AF_INET6;
	} else {
		struct sockaddr_in *s = (struct sockaddr_in *)&ep->sa;
		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &s->sin_addr) != 1)
			return -1;
		ep->len = sizeof *s;
		ep->family = AF_INET;
	}
	return 0;
}

/* A listener for ADDR:PORT; for an IPv4-mapped ADDR, on the IPv4 address. */
static int listener(const char *addr, int port)
{
	const char *v4 = strncmp(addr, "::ffff:", 7) == 0 && strchr(addr + 7, '.') ? addr + 7 : addr;
	struct endpoint ep;
	if (endpoint(v4, port, &ep))
		return -1;
	int s = socket(ep.family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(s, (struct sockaddr *)&ep.sa, ep.len) || listen(s, 64)) {
		close(s);
		return -1;
	}
	return s;
}

static int do_connect(const char *addr, int port, int ls)
{
	struct endpoint ep;
	if (endpoint(addr, port, &ep))
		return 2;
	int s = socket(ep.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc = connect(s, (struct sockaddr *)&ep.sa, ep.len) ? 10 + errno : 0;
	close(s);
	if (rc == 0) {
		int c = accept(ls, NULL, NULL);
		if (c >= 0)
			close(c);
	}
	return rc;
}

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static int bench(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	const char *op = argv[0], *target = argv[1];
	int port = 0, n;
	int ls = -1;
	if (!strcmp(op, "connect")) {
		if (argc < 4)
			return 2;
		port = atoi(argv[2]);
		n = atoi(argv[3]);
		if ((ls = listener(target, port)) < 0)
			return 3;
	} else {
		n = atoi(argv[2]);
	}
	if (n <= 0)
		return 2;
	long long *t = calloc(n, sizeof *t);
	char *exec_argv[] = { (char *)target, NULL };
	for (int i = 0; i < n; i++) {
		long long t0 = now_ns();
		int rc = !strcmp(op, "open") ? do_open(target) : !strcmp(op, "exec") ? do_exec(exec_argv) : do_connect(target, port, ls);
		t[i] = now_ns() - t0;
		if (rc)
			return rc;
	}
	qsort(t, n, sizeof *t, cmp);
	printf("median_ns=%lld\n", t[n / 2]);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;
	if (argc > 2 && !strcmp(argv[1], "-c")) {
		if (join_cgroup(argv[2])) {
			perror("kops: join cgroup");
			return 3;
		}
		i = 3;
	}
	if (argc - i >= 2 && !strcmp(argv[i], "open"))
		return do_open(argv[i + 1]);
	if (argc - i >= 2 && !strcmp(argv[i], "exec"))
		return do_exec(&argv[i + 1]);
	if (argc - i == 3 && !strcmp(argv[i], "connect")) {
		int ls = listener(argv[i + 1], atoi(argv[i + 2]));
		if (ls < 0) {
			perror("kops: listener");
			return 3;
		}
		return do_connect(argv[i + 1], atoi(argv[i + 2]), ls);
	}
	if (argc - i >= 3 && !strcmp(argv[i], "bench"))
		return bench(argc - i - 1, &argv[i + 1]);
	fprintf(stderr, "usage: kops [-c CGROUP] open PATH | exec PATH [ARG...] | connect ADDR PORT | bench OP TARGET [PORT] N\n");
	return 2;
}
