"""The services being replicated in benchmarks: iperf3 servers and nginx serving fixed-size files."""

import os

NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    default_type application/octet-stream;
    server {{
        listen {ip}:{port} backlog=4096;
        root {root};
        location / {{ }}
        location = /ncpt-status {{ stub_status; }}
    }}
}}
"""


class IperfServer:
    """A persistent ``iperf3 -s`` on ip:port (replicas stay up between tests, like real replicas: a
    replica restarted between tests would be seen as down by the middlebox)."""

    def __init__(self, node, ip, port, workdir, label):
        self.ip, self.port = ip, port
        # -J: the server's JSON (its payload bytes read) reaches the client through --get-server-output
        self.proc = node.spawn(["iperf3", "-s", "-J", "-B", ip, "-p", str(port)],
                               log=os.path.join(workdir, "iperf3-%s-%d.log" % (label, port)))
        node.wait_listen(port, proc=self.proc)

    def stop(self):
        self.proc.stop()


class Sink:
    """A discarding TCP server (sink.py) on ip:port: the replica of one-shot protocols such as iperf3. It counts
    the application bytes it read (all of them, and the iperf3 payload of data streams) into a JSON file that
    :meth:`counts` reads."""

    def __init__(self, node, ip, port, workdir, label):
        self.ip, self.port = ip, port
        self.counts_path = os.path.join(workdir, "sink-%s-%d.counts.json" % (label, port))
        if os.path.exists(self.counts_path):
            os.unlink(self.counts_path)
        self.proc = node.spawn(["/usr/bin/python3", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                 "sink.py"), ip, str(port), self.counts_path],
                               log=os.path.join(workdir, "sink-%s-%d.log" % (label, port)))
        node.wait_listen(port, proc=self.proc)

    def counts(self):
        """The sink's counters (sink.Counts.snapshot: bytes, data_bytes, connections, ...), or None if unreadable."""
        import json
        try:
            with open(self.counts_path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def app_bytes(self):
        """iperf3 payload bytes the sink has read so far (application bytes), or None."""
        c = self.counts()
        return None if c is None else c["data_bytes"]

    def stop(self):
        self.proc.stop()


def make_docroot(path, sizes_kib):
    """Writes files ``<n>k`` of n KiB (deterministic content) for each size; returns their URIs."""
    os.makedirs(path, exist_ok=True)
    os.chmod(path, 0o755)
    uris = []
    for kib in sizes_kib:
        name = "%dk" % kib
        block = bytes((i * 31 + kib) % 251 for i in range(1024))
        with open(os.path.join(path, name), "wb") as f:
            for _ in range(kib):
                f.write(block)
        os.chmod(os.path.join(path, name), 0o644)
        uris.append("/" + name)
    return uris


class Nginx:
    """One nginx (1 worker) on ip:port serving ``root``; runs in the foreground so stop() is by PID."""

    def __init__(self, node, ip, port, root, workdir):
        self.dir = os.path.join(workdir, "nginx-%s-%d" % (node.name, port))
        os.makedirs(self.dir, exist_ok=True)
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(dir=self.dir, ip=ip, port=port, root=root))
        self.ip, self.port, self.node = ip, port, node
        self.proc = node.spawn(["nginx", "-c", conf, "-e", os.path.join(self.dir, "error.log")],
                               log=os.path.join(self.dir, "stdout.log"))
        node.wait_listen(port, proc=self.proc)

    def stop(self):
        self.proc.stop()

    def requests(self):
        """Requests served so far (nginx stub_status, asked from its own node); the query counts one."""
        code = ("import urllib.request,sys\n"
                "sys.stdout.write(urllib.request.urlopen('http://%s:%d/ncpt-status',timeout=5).read().decode())"
                % (self.ip, self.port))
        out = self.node.run(["/usr/bin/python3", "-c", code], check=False, timeout=15).stdout
        lines = out.split("\n")
        try:
            return int(lines[2].split()[2])
        except (IndexError, ValueError):
            return None


class MariaDb:
    """``mariadbd`` on 0.0.0.0:port inside a node, own datadir (copied from a template made once with
    mariadb-install-db), ``--skip-grant-tables`` (auth-free: replicas accept the primary's client bytes),
    TLS off. Runs in the foreground; stop() is by PID."""

    TEMPLATE = "/tmp/ncpt-state/mariadb-template"

    def __init__(self, node, port, workdir, label):
        import shutil
        import subprocess
        self.port, self.node = port, node
        self.dir = os.path.join(workdir, "mariadb-%s" % label)
        if os.path.exists(self.dir):
            shutil.rmtree(self.dir)
        os.makedirs(self.dir)
        if not os.path.exists(os.path.join(self.TEMPLATE, "mysql")):
            os.makedirs(self.TEMPLATE, exist_ok=True)
            subprocess.run(["mariadb-install-db", "--no-defaults", "--datadir=" + self.TEMPLATE, "--user=root",
                            "--auth-root-authentication-method=normal", "--skip-test-db"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        data = os.path.join(self.dir, "data")
        shutil.copytree(self.TEMPLATE, data)
        self.proc = node.spawn(["mariadbd", "--no-defaults", "--user=root", "--datadir=" + data,
                                "--socket=" + os.path.join(self.dir, "mysqld.sock"), "--port=%d" % port,
                                "--bind-address=0.0.0.0", "--skip-grant-tables", "--skip-ssl",
                                "--skip-name-resolve", "--max-connections=1000", "--innodb-buffer-pool-size=256M",
                                "--innodb-flush-log-at-trx-commit=2", "--log-error=" + os.path.join(self.dir, "error.log"),
                                "--pid-file=" + os.path.join(self.dir, "mysqld.pid")],
                               log=os.path.join(self.dir, "stdout.log"))
        node.wait_listen(port, timeout=120, proc=self.proc)

    def stop(self):
        self.proc.stop(timeout=30)
