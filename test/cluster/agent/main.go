// cluster-agent plays the two node-side roles that KWOK does not fake for the local test cluster:
//
//   - a hostPath volume provisioner: every Pending PVC of a StorageClass whose provisioner is
//     "local.agent-sandbox/hostpath" gets (once a node is selected, for WaitForFirstConsumer
//     classes) a PV pre-bound to it, backed by the directory
//     <run>/volumes/<namespace>/pvc-<pvc uid>. Released PVs are deleted together with their directory.
//   - a pod "kubelet": once a pod is scheduled it gets a private working directory
//     <run>/pods/<namespace>/<pod>, where every PVC mount appears as a symlink
//     (<workdir>/workspace -> <run>/volumes/...) and every emptyDir as a plain directory. The agent
//     then creates the KWOK Exec, Logs and PortForward objects named like the pod: exec runs in
//     that directory, logs come from <run>/podlogs/<namespace>/<pod>.log (CRI log format: append
//     lines like "2026-01-02T03:04:05.000000000Z stdout F text"), forwarded ports go to the same
//     port on the pod's IP. Each pod gets its own loopback address from its node's pod CIDR
//     (annotation kwok.local/pod-ip, $POD_IP in exec'd commands, status.podIP once Ready; see
//     podip.go). Finally it annotates the pod kwok.local/prepared=true; KWOK's pod-ready
//     stage waits for that annotation, so a pod is never Ready before exec works.
//     When the pod goes away its working directory and log file are removed, and processes
//     started in it are killed; PVC data stays.
//
// It also has a tiny "freeports N" subcommand that prints N free loopback TCP ports.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	osexec "os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listersv1 "k8s.io/client-go/listers/core/v1"
	storagelisters "k8s.io/client-go/listers/storage/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
)

const (
	provisionerName    = "local.agent-sandbox/hostpath"
	preparedAnnotation = "kwok.local/prepared"
	fieldManager       = "cluster-agent"
)

// Ports that are forwarded for every pod in addition to its declared containerPorts, so that a
// server started by hand inside a sandbox (python3 -m http.server, a dev server) can be reached.
var commonPorts = []int32{3000, 5000, 5173, 8000, 8080, 8888}

var kwokGV = schema.GroupVersion{Group: "kwok.x-k8s.io", Version: "v1alpha1"}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "freeports" {
		freePorts(os.Args[2:])
		return
	}
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of the cluster")
	runDir := flag.String("run-dir", "", "state directory of the local cluster (holds pods/, podlogs/, volumes/)")
	runscRoot := flag.String("runsc-root", "", "runsc --root of the gVisor node's sandbox (to stop processes of deleted pods there)")
	gvisorID := flag.String("gvisor-id", "", "runsc container id of the gVisor node's KWOK")
	podCIDRs := flag.String("pod-cidrs", "", "node=cidr,...: where pod IPs come from (loopback ranges, so each pod has a reachable address)")
	klog.InitFlags(nil)
	flag.Parse()
	if *runDir == "" || !filepath.IsAbs(*runDir) {
		klog.Fatal("--run-dir must be an absolute path")
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		klog.Fatalf("kubeconfig: %v", err)
	}
	cfg.QPS, cfg.Burst = 100, 200
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	cidrs, err := parsePodCIDRs(*podCIDRs)
	if err != nil {
		klog.Fatal(err)
	}
	a := &agent{
		ips:       newPodIPs(cidrs),
		run:       filepath.Clean(*runDir),
		runscRoot: *runscRoot,
		gvisorID:  *gvisorID,
		kube:      kubernetes.NewForConfigOrDie(cfg),
		dyn:       dynamic.NewForConfigOrDie(cfg),
	}
	if err := a.start(ctx); err != nil {
		klog.Fatal(err)
	}
}

func freePorts(args []string) {
	n := 1
	if len(args) > 0 {
		if _, err := fmt.Sscan(args[0], &n); err != nil {
			fmt.Fprintln(os.Stderr, "usage: cluster-agent freeports N")
			os.Exit(2)
		}
	}
	// Keep all listeners open until every port is chosen so the N ports are distinct.
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ls = append(ls, l)
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		_ = l.Close()
	}
}

type agent struct {
	run       string
	runscRoot string
	gvisorID  string
	kube      kubernetes.Interface
	dyn       dynamic.Interface
	ips       *podIPs

	pods listersv1.PodLister
	pvcs listersv1.PersistentVolumeClaimLister
	pvs  listersv1.PersistentVolumeLister
	scs  storagelisters.StorageClassLister

	podQ, pvcQ, pvQ workqueue.TypedRateLimitingInterface[string]
}

func (a *agent) start(ctx context.Context) error {
	f := informers.NewSharedInformerFactory(a.kube, 10*time.Minute)
	podInf := f.Core().V1().Pods().Informer()
	pvcInf := f.Core().V1().PersistentVolumeClaims().Informer()
	pvInf := f.Core().V1().PersistentVolumes().Informer()
	_ = f.Storage().V1().StorageClasses().Informer() // registers the informer before Start
	a.pods = f.Core().V1().Pods().Lister()
	a.pvcs = f.Core().V1().PersistentVolumeClaims().Lister()
	a.pvs = f.Core().V1().PersistentVolumes().Lister()
	a.scs = f.Storage().V1().StorageClasses().Lister()

	rl := func(name string) workqueue.TypedRateLimitingInterface[string] {
		return workqueue.NewTypedRateLimitingQueueWithConfig(
			workqueue.NewTypedItemExponentialFailureRateLimiter[string](50*time.Millisecond, 5*time.Second),
			workqueue.TypedRateLimitingQueueConfig[string]{Name: name})
	}
	a.podQ, a.pvcQ, a.pvQ = rl("pods"), rl("pvcs"), rl("pvs")

	enqueue := func(q workqueue.TypedRateLimitingInterface[string]) cache.ResourceEventHandlerFuncs {
		add := func(obj any) {
			if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
				q.Add(key)
			}
		}
		return cache.ResourceEventHandlerFuncs{AddFunc: add, UpdateFunc: func(_, o any) { add(o) }, DeleteFunc: add}
	}
	_, _ = podInf.AddEventHandler(enqueue(a.podQ))
	_, _ = pvcInf.AddEventHandler(enqueue(a.pvcQ))
	_, _ = pvInf.AddEventHandler(enqueue(a.pvQ))
	// A PVC that becomes bound may unblock a pod that waits for its volume.
	_, _ = pvcInf.AddEventHandler(cache.ResourceEventHandlerFuncs{UpdateFunc: func(_, o any) {
		if pvc, ok := o.(*corev1.PersistentVolumeClaim); ok && pvc.Status.Phase == corev1.ClaimBound {
			pods, _ := a.pods.Pods(pvc.Namespace).List(labels.Everything())
			for _, p := range pods {
				a.podQ.Add(p.Namespace + "/" + p.Name)
			}
		}
	}})

	f.Start(ctx.Done())
	for t, ok := range f.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("cache for %v did not sync", t)
		}
	}
	if all, err := a.pods.List(labels.Everything()); err == nil {
		for _, p := range all {
			a.ips.adopt(p)
		}
	}
	// Working directories of pods that vanished while the agent was not running.
	for _, d := range globDirs(filepath.Join(a.run, "pods", "*", "*")) {
		a.podQ.Add(filepath.Base(filepath.Dir(d)) + "/" + filepath.Base(d))
	}
	klog.Info("cluster-agent synced; provisioning PVCs and preparing pods")
	if err := os.WriteFile(filepath.Join(a.run, "cluster-agent.synced"), nil, 0o644); err != nil {
		return err
	}

	for _, w := range []struct {
		q workqueue.TypedRateLimitingInterface[string]
		f func(context.Context, string) error
		n int
	}{{a.podQ, a.syncPod, 4}, {a.pvcQ, a.syncPVC, 2}, {a.pvQ, a.syncPV, 1}} {
		for range w.n {
			go wait.UntilWithContext(ctx, func(ctx context.Context) {
				for process(ctx, w.q, w.f) {
				}
			}, time.Second)
		}
	}
	<-ctx.Done()
	a.podQ.ShutDown()
	a.pvcQ.ShutDown()
	a.pvQ.ShutDown()
	return nil
}

func process(ctx context.Context, q workqueue.TypedRateLimitingInterface[string], f func(context.Context, string) error) bool {
	key, quit := q.Get()
	if quit {
		return false
	}
	defer q.Done(key)
	if err := f(ctx, key); err != nil {
		klog.Infof("retrying %s: %v", key, err)
		q.AddRateLimited(key)
		return true
	}
	q.Forget(key)
	return true
}

// ---- volumes ----

func (a *agent) syncPVC(ctx context.Context, key string) error {
	ns, name, _ := cache.SplitMetaNamespaceKey(key)
	pvc, err := a.pvcs.PersistentVolumeClaims(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil // the PV controller releases the PV; syncPV cleans it up
	}
	if err != nil {
		return err
	}
	if pvc.DeletionTimestamp != nil || pvc.Spec.VolumeName != "" || pvc.Status.Phase != corev1.ClaimPending || pvc.Spec.StorageClassName == nil {
		return nil
	}
	sc, err := a.scs.Get(*pvc.Spec.StorageClassName)
	if err != nil || sc.Provisioner != provisionerName {
		return nil // not ours
	}
	// WaitForFirstConsumer: like a real external provisioner, wait until the scheduler picked a
	// node for the first pod (it then waits in PreBind until the PVC is bound).
	if sc.VolumeBindingMode != nil && *sc.VolumeBindingMode == storagev1.VolumeBindingWaitForFirstConsumer &&
		pvc.Annotations["volume.kubernetes.io/selected-node"] == "" {
		return nil
	}
	if pvc.Spec.VolumeMode != nil && *pvc.Spec.VolumeMode == corev1.PersistentVolumeBlock {
		return nil
	}
	pvName := "pvc-" + string(pvc.UID)
	if _, err := a.pvs.Get(pvName); err == nil {
		return nil
	}
	dir := filepath.Join(a.run, "volumes", pvc.Namespace, pvName)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	_ = os.Chmod(dir, 0o777) // writable for any uid a sandbox runs as
	size := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
	if size.IsZero() {
		size = resource.MustParse("1Gi")
	}
	modes := pvc.Spec.AccessModes
	if len(modes) == 0 {
		modes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
	}
	hp := corev1.HostPathDirectoryOrCreate
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        pvName,
			Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": provisionerName},
			Labels:      map[string]string{"local.agent-sandbox/pvc-namespace": pvc.Namespace},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes:                   modes,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			StorageClassName:              *pvc.Spec.StorageClassName,
			ClaimRef: &corev1.ObjectReference{
				Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				HostPath: &corev1.HostPathVolumeSource{Path: dir, Type: &hp},
			},
		},
	}
	_, err = a.kube.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{FieldManager: fieldManager})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err == nil {
		klog.Infof("provisioned %s for PVC %s at %s", pvName, key, dir)
	}
	return err
}

func (a *agent) syncPV(ctx context.Context, key string) error {
	pv, err := a.pvs.Get(key)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if pv.Annotations["pv.kubernetes.io/provisioned-by"] != provisionerName || pv.DeletionTimestamp != nil {
		return nil
	}
	if pv.Status.Phase != corev1.VolumeReleased && pv.Status.Phase != corev1.VolumeFailed {
		return nil
	}
	if pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete {
		return nil
	}
	if hp := pv.Spec.HostPath; hp != nil && a.inside(hp.Path, "volumes") {
		if err := os.RemoveAll(hp.Path); err != nil {
			return err
		}
	}
	uid := pv.UID
	err = a.kube.CoreV1().PersistentVolumes().Delete(ctx, pv.Name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}})
	if err == nil {
		klog.Infof("deleted released volume %s", pv.Name)
	}
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil
	}
	return err
}

// inside reports whether p is strictly below <run>/<sub>, so cleanup can never escape the run dir.
func (a *agent) inside(p, sub string) bool {
	base := filepath.Join(a.run, sub) + string(filepath.Separator)
	return strings.HasPrefix(filepath.Clean(p), base)
}

// ---- pods ----

var (
	execGVR = kwokGV.WithResource("execs")
	logsGVR = kwokGV.WithResource("logs")
	pfGVR   = kwokGV.WithResource("portforwards")
)

func (a *agent) syncPod(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil || ns == "" || name == "" || strings.ContainsAny(ns+name, `/\`) || strings.HasPrefix(name, ".") {
		return nil
	}
	workDir := filepath.Join(a.run, "pods", ns, name)
	logFile := filepath.Join(a.run, "podlogs", ns, name+".log")
	pod, err := a.pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		// Gone: drop the scratch directory (symlinks only, PVC data lives in volumes/) and the
		// KWOK objects. Garbage collection would delete the objects too (owner reference).
		a.killPodProcesses(ctx, ns, name, "")
		a.ips.release(key)
		_ = os.RemoveAll(workDir)
		_ = os.Remove(logFile)
		_ = os.Remove(filepath.Dir(workDir)) // only succeeds when the namespace dir is empty
		for _, gvr := range []schema.GroupVersionResource{execGVR, logsGVR, pfGVR} {
			err := a.dyn.Resource(gvr).Namespace(ns).Delete(ctx, name, metav1.DeleteOptions{})
			if err != nil && !apierrors.IsNotFound(err) {
				return err
			}
		}
		return nil
	}
	if err != nil {
		return err
	}
	if pod.DeletionTimestamp != nil || pod.Spec.NodeName == "" {
		return nil
	}

	// A pod re-created under the same name (resume after suspend) must start with a fresh scratch
	// directory; the Exec object remembers which pod UID the current directory belongs to.
	existing, err := a.dyn.Resource(execGVR).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
	switch {
	case err == nil && !ownedBy(existing, pod.UID):
		klog.Infof("pod %s was re-created; resetting its working directory", key)
		a.killPodProcesses(ctx, ns, name, string(pod.UID))
		if err := os.RemoveAll(workDir); err != nil {
			return err
		}
		for _, gvr := range []schema.GroupVersionResource{execGVR, logsGVR, pfGVR} {
			err := a.dyn.Resource(gvr).Namespace(ns).Delete(ctx, name, metav1.DeleteOptions{})
			if err != nil && !apierrors.IsNotFound(err) {
				return err
			}
		}
	case err != nil && !apierrors.IsNotFound(err):
		return err
	case err == nil && pod.Annotations[preparedAnnotation] == "true":
		return nil // already prepared for this pod
	}

	if err := os.MkdirAll(workDir, 0o777); err != nil {
		return err
	}
	_ = os.Chmod(workDir, 0o777)
	if err := a.mountVolumes(pod, workDir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(logFile), 0o755); err != nil {
		return err
	}
	if _, err := os.Stat(logFile); os.IsNotExist(err) {
		// CRI log format (what KWOK parses): <RFC3339Nano time> <stdout|stderr> <F|P> <line>
		msg := fmt.Sprintf("%s stdout F sandbox pod %s/%s started on node %s (runtimeClass %q); working directory %s\n",
			time.Now().UTC().Format(time.RFC3339Nano), ns, name, pod.Spec.NodeName, deref(pod.Spec.RuntimeClassName), workDir)
		if err := os.WriteFile(logFile, []byte(msg), 0o644); err != nil {
			return err
		}
	}

	podIP, err := a.ips.get(pod)
	if err != nil {
		return err
	}
	owner := []any{map[string]any{"apiVersion": "v1", "kind": "Pod", "name": pod.Name, "uid": string(pod.UID)}}
	envs := []any{
		map[string]any{"name": "POD_IP", "value": podIP},
		map[string]any{"name": "HOME", "value": workDir},
		map[string]any{"name": "HOSTNAME", "value": pod.Name},
		map[string]any{"name": "POD_NAME", "value": pod.Name},
		map[string]any{"name": "POD_NAMESPACE", "value": pod.Namespace},
		map[string]any{"name": "POD_UID", "value": string(pod.UID)},
	}
	if len(pod.Spec.Containers) > 0 {
		for _, e := range pod.Spec.Containers[0].Env {
			if e.ValueFrom == nil && e.Name != "HOME" && e.Name != "PATH" {
				envs = append(envs, map[string]any{"name": e.Name, "value": e.Value})
			}
		}
	}
	forwards := []any{}
	for _, p := range forwardPorts(pod) {
		forwards = append(forwards, map[string]any{
			"ports": []any{int64(p)}, "target": map[string]any{"address": podIP, "port": int64(p)},
		})
	}
	objs := []struct {
		gvr  schema.GroupVersionResource
		kind string
		spec map[string]any
	}{
		{execGVR, "Exec", map[string]any{"execs": []any{map[string]any{"local": map[string]any{"workDir": workDir, "envs": envs}}}}},
		{logsGVR, "Logs", map[string]any{"logs": []any{map[string]any{"logsFile": logFile, "follow": true}}}},
		{pfGVR, "PortForward", map[string]any{"forwards": forwards}},
	}
	for _, o := range objs {
		u := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": kwokGV.String(), "kind": o.kind,
			"metadata": map[string]any{"name": name, "namespace": ns, "ownerReferences": owner},
			"spec":     o.spec,
		}}
		_, err := a.dyn.Resource(o.gvr).Namespace(ns).Apply(ctx, name, u, metav1.ApplyOptions{FieldManager: fieldManager, Force: true})
		if err != nil {
			return fmt.Errorf("apply %s %s: %w", o.kind, key, err)
		}
	}

	patch := fmt.Appendf(nil, `{"metadata":{"annotations":{%q:"true",%q:%q}}}`, preparedAnnotation, podIPAnnotation, podIP)
	_, err = a.kube.CoreV1().Pods(ns).Patch(ctx, name, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: fieldManager})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err == nil {
		klog.Infof("prepared pod %s (node %s) in %s", key, pod.Spec.NodeName, workDir)
	}
	return err
}

// mountVolumes makes each PVC mount of the pod's containers a symlink to the PV directory and each
// emptyDir mount a directory, at <workDir>/<mountPath>, so relative paths inside the sandbox work.
func (a *agent) mountVolumes(pod *corev1.Pod, workDir string) error {
	vols := map[string]corev1.Volume{}
	for _, v := range pod.Spec.Volumes {
		vols[v.Name] = v
	}
	for _, c := range append(slices.Clone(pod.Spec.InitContainers), pod.Spec.Containers...) {
		for _, m := range c.VolumeMounts {
			rel := strings.TrimPrefix(filepath.Clean("/"+m.MountPath), "/")
			if rel == "" {
				continue
			}
			dst := filepath.Join(workDir, rel)
			v, ok := vols[m.Name]
			if !ok {
				continue
			}
			claim := ""
			switch {
			case v.PersistentVolumeClaim != nil:
				claim = v.PersistentVolumeClaim.ClaimName
			case v.Ephemeral != nil:
				claim = pod.Name + "-" + v.Name
			case v.EmptyDir != nil:
				if err := os.MkdirAll(dst, 0o777); err != nil {
					return err
				}
				continue
			default:
				continue
			}
			pvc, err := a.pvcs.PersistentVolumeClaims(pod.Namespace).Get(claim)
			if err != nil {
				return fmt.Errorf("pod %s/%s volume %s: %w", pod.Namespace, pod.Name, m.Name, err)
			}
			if pvc.Spec.VolumeName == "" {
				return fmt.Errorf("PVC %s/%s is not bound yet", pod.Namespace, claim)
			}
			pv, err := a.pvs.Get(pvc.Spec.VolumeName)
			if err != nil {
				return fmt.Errorf("PV %s: %w", pvc.Spec.VolumeName, err)
			}
			if pv.Spec.HostPath == nil {
				continue
			}
			target := pv.Spec.HostPath.Path
			if m.SubPath != "" {
				target = filepath.Join(target, filepath.Clean("/"+m.SubPath))
				if err := os.MkdirAll(target, 0o777); err != nil {
					return err
				}
			}
			if cur, err := os.Readlink(dst); err == nil && cur == target {
				continue
			}
			if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
				return err
			}
			_ = os.RemoveAll(dst)
			if err := os.Symlink(target, dst); err != nil {
				return err
			}
		}
	}
	return nil
}

// killPodProcesses stops what was started in a pod that no longer exists (like the kubelet killing
// a container): every process whose environment says POD_NAMESPACE=ns, POD_NAME=name and a
// POD_UID other than keepUID. Exec'd commands get these variables from the Exec object. Processes
// of the gVisor node live inside its sandbox, so they are looked up there with runsc exec.
func (a *agent) killPodProcesses(ctx context.Context, ns, name, keepUID string) {
	self := os.Getpid()
	procs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, f := range procs {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		env := strings.Split(string(data), "\x00")
		if !slices.Contains(env, "POD_NAMESPACE="+ns) || !slices.Contains(env, "POD_NAME="+name) ||
			(keepUID != "" && slices.Contains(env, "POD_UID="+keepUID)) {
			continue
		}
		var pid int
		if _, err := fmt.Sscanf(f, "/proc/%d/environ", &pid); err == nil && pid != self {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	if a.runscRoot == "" || a.gvisorID == "" {
		return
	}
	// Three greps over every process's environment, not a few processes per process: under gVisor
	// each fork is slow, and with the e2e journeys' load the old per-process loop took minutes. Four
	// pod deletions then held all the pod workers, so new pods (a pool's refill, a new sandbox)
	// waited that long before they were prepared.
	const script = `a=$(grep -lzxF "POD_NAMESPACE=$1" /proc/[0-9]*/environ 2>/dev/null) || exit 0
b=$(grep -lzxF "POD_NAME=$2" $a 2>/dev/null) || exit 0
k=" $(echo $(grep -lzxF "POD_UID=$3" $b 2>/dev/null)) "
for e in $b; do case "$k" in *" $e "*) continue;; esac; p=${e%/environ}; kill -9 "${p#/proc/}" 2>/dev/null; done; exit 0`
	keep := keepUID
	if keep == "" {
		keep = "-" // matches no UID
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := osexec.CommandContext(cctx, "runsc", "--root="+a.runscRoot, "exec", a.gvisorID,
		"/bin/busybox", "sh", "-c", script, "sh", ns, name, keep)
	// The script inside the sandbox holds the output pipe after runsc is killed: do not wait for it.
	cmd.WaitDelay = 2 * time.Second
	started := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		klog.Infof("stopping processes of %s/%s in gVisor: %v: %s", ns, name, err, out)
	}
	if d := time.Since(started); d > 2*time.Second {
		klog.Infof("stopping processes of %s/%s in gVisor took %s", ns, name, d.Round(time.Millisecond))
	}
}

func forwardPorts(pod *corev1.Pod) []int32 {
	ports := slices.Clone(commonPorts)
	for _, c := range pod.Spec.Containers {
		for _, p := range c.Ports {
			if p.Protocol == "" || p.Protocol == corev1.ProtocolTCP {
				ports = append(ports, p.ContainerPort)
			}
		}
	}
	slices.Sort(ports)
	return slices.Compact(ports)
}

func ownedBy(u *unstructured.Unstructured, uid types.UID) bool {
	for _, o := range u.GetOwnerReferences() {
		if o.UID == uid {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func globDirs(pattern string) []string {
	m, _ := filepath.Glob(pattern)
	var out []string
	for _, p := range m {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
			out = append(out, p)
		}
	}
	return out
}
