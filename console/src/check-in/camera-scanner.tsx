import { useEffect, useRef, useState } from 'react';

type CameraState = 'off' | 'starting' | 'on' | 'denied' | 'missing';

/** Time between two decoded frames: quick enough to feel instant, light on a phone's battery. */
const SCAN_EVERY_MS = 150;
/** A code seen again counts as a new scan only after this many frames without it (the phone was lowered). */
const ABSENT_FRAMES = 4;
/** Frames are decoded at most this wide: plenty for a QR code held at arm's length, cheap to scan. */
const MAX_WIDTH = 640;

interface Props {
  labels: { scan: string; stop: string; scanning: string; starting: string; denied: string; missing: string };
  /** Called once per presentation of a code; the camera keeps scanning after it. */
  onCode(text: string): void;
}

/**
 * The device camera (the rear one where there is one), its frames drawn to a canvas and decoded with
 * jsQR, which is loaded only when the camera starts so the console's first load stays small.
 */
export function CameraScanner({ labels, onCode }: Props) {
  const [state, setState] = useState<CameraState>('off');
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stopRef = useRef<() => void>(() => undefined);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      stopRef.current();
    };
  }, []);

  async function start() {
    setState('starting');
    let stream: MediaStream;
    let decode: typeof import('jsqr').default;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('No camera API', 'NotFoundError');
      const [module, media] = await Promise.all([
        import('jsqr'),
        navigator.mediaDevices.getUserMedia({
          audio: false,
          video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
        }),
      ]);
      decode = module.default;
      stream = media;
    } catch (error) {
      if (!mounted.current) return;
      setState(
        error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'SecurityError')
          ? 'denied'
          : 'missing',
      );
      return;
    }
    // The desk was left while the camera was starting: release it at once.
    if (!mounted.current) {
      stream.getTracks().forEach((track) => track.stop());
      return;
    }
    // The video stays out of the page: the canvas it is drawn on is the preview.
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    stopRef.current = () => {
      stopped = true;
      clearTimeout(timer);
      stream.getTracks().forEach((track) => track.stop());
      video.srcObject = null;
    };
    await video.play().catch(() => undefined);
    setState('on');

    let lastCode: string | null = null;
    let framesWithout = 0;
    const tick = () => {
      if (stopped) return;
      const canvas = canvasRef.current;
      const context = canvas?.getContext('2d', { willReadFrequently: true });
      if (canvas && context && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
        const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
        const width = Math.round(video.videoWidth * scale);
        const height = Math.round(video.videoHeight * scale);
        if (canvas.width !== width) canvas.width = width;
        if (canvas.height !== height) canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        const found = decode(context.getImageData(0, 0, width, height).data, width, height, {
          inversionAttempts: 'dontInvert',
        });
        if (found?.data) {
          // The same code held up frame after frame is one scan, not one per frame.
          if (found.data !== lastCode || framesWithout >= ABSENT_FRAMES) onCodeRef.current(found.data);
          lastCode = found.data;
          framesWithout = 0;
        } else {
          framesWithout += 1;
        }
      }
      timer = setTimeout(tick, SCAN_EVERY_MS);
    };
    tick();
  }

  function stop() {
    stopRef.current();
    stopRef.current = () => undefined;
    setState('off');
  }

  const running = state === 'on' || state === 'starting';
  return (
    <div className="desk-camera">
      <button type="button" className="desk-big" onClick={() => (running ? stop() : void start())}>
        {running ? labels.stop : labels.scan}
      </button>
      {state === 'starting' && <p role="status">{labels.starting}</p>}
      {state === 'denied' && (
        <p role="alert" className="desk-warning">
          {labels.denied}
        </p>
      )}
      {state === 'missing' && (
        <p role="alert" className="desk-warning">
          {labels.missing}
        </p>
      )}
      <canvas ref={canvasRef} className="desk-preview" hidden={state !== 'on'} aria-hidden="true" />
      {state === 'on' && <p className="muted">{labels.scanning}</p>}
    </div>
  );
}
