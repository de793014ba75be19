package main

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
)

// podIPAnnotation carries the address cluster-agent chose for a pod; KWOK's pod-ready stage copies
// it into status.podIP (see up.sh), so the address is known before the pod is Ready and exec'd
// commands get it as $POD_IP.
const podIPAnnotation = "kwok.local/pod-ip"

// podIPs hands every pod its own loopback address from its node's pod CIDR (inside 127.0.0.0/8,
// so every pod IP is an address of this machine): a server in a sandbox binds $POD_IP, two
// sandboxes can serve the same port, and the sandbox router dials pod IPs as on a real cluster.
type podIPs struct {
	mu    sync.Mutex
	cidrs map[string]netip.Prefix // node name -> pod CIDR
	byPod map[string]podIP        // namespace/name -> current address
	used  map[netip.Addr]string   // address -> namespace/name
}

type podIP struct {
	uid string
	ip  netip.Addr
}

// parsePodCIDRs reads "node=cidr,node=cidr".
func parsePodCIDRs(s string) (map[string]netip.Prefix, error) {
	out := map[string]netip.Prefix{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		node, cidr, ok := strings.Cut(part, "=")
		p, err := netip.ParsePrefix(cidr)
		if !ok || err != nil || !p.Addr().Is4() {
			return nil, fmt.Errorf("bad --pod-cidrs entry %q (want node=a.b.c.d/n)", part)
		}
		out[node] = p.Masked()
	}
	return out, nil
}

func newPodIPs(cidrs map[string]netip.Prefix) *podIPs {
	return &podIPs{cidrs: cidrs, byPod: map[string]podIP{}, used: map[netip.Addr]string{}}
}

// adopt records the address an earlier run of the agent gave a pod that still exists.
func (p *podIPs) adopt(pod *corev1.Pod) {
	ip, err := netip.ParseAddr(pod.Annotations[podIPAnnotation])
	if err != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	key := pod.Namespace + "/" + pod.Name
	p.byPod[key] = podIP{string(pod.UID), ip}
	p.used[ip] = key
}

// get returns the pod's address, choosing the lowest free one of its node's CIDR the first time.
// A pod re-created under the same name (resume) gets a new address, like on a real cluster.
func (p *podIPs) get(pod *corev1.Pod) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := pod.Namespace + "/" + pod.Name
	if cur, ok := p.byPod[key]; ok {
		if cur.uid == string(pod.UID) {
			return cur.ip.String(), nil
		}
		p.releaseLocked(key)
	}
	cidr, ok := p.cidrs[pod.Spec.NodeName]
	if !ok {
		return "", fmt.Errorf("no pod CIDR for node %q", pod.Spec.NodeName)
	}
	// Skip the network address and .1 (the node's own address in KWOK's convention).
	for ip := cidr.Addr().Next().Next(); cidr.Contains(ip); ip = ip.Next() {
		if _, taken := p.used[ip]; taken || ip.As4()[3] == 255 || ip.As4()[3] == 0 {
			continue
		}
		p.byPod[key] = podIP{string(pod.UID), ip}
		p.used[ip] = key
		return ip.String(), nil
	}
	return "", fmt.Errorf("pod CIDR %s of node %s is full", cidr, pod.Spec.NodeName)
}

// release frees the address of a pod that is gone.
func (p *podIPs) release(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.releaseLocked(key)
}

func (p *podIPs) releaseLocked(key string) {
	if cur, ok := p.byPod[key]; ok {
		delete(p.used, cur.ip)
		delete(p.byPod, key)
	}
}
