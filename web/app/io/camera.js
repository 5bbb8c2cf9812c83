// Webcam capture, for class images and for predictions. Offered only where
// the browser has a camera API and a camera; each capture is a JPEG Blob.

export async function cameraAvailable() {
  if (!navigator.mediaDevices?.getUserMedia || !navigator.mediaDevices.enumerateDevices) return false;
  try {
    return (await navigator.mediaDevices.enumerateDevices()).some((d) => d.kind === 'videoinput');
  } catch {
    return false;
  }
}

export function createCamera({ section, video, target, captureButton, closeButton }) {
  let stream = null;
  let onCapture = null;
  let returnFocus = null;

  function close() {
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    section.hidden = true;
    returnFocus?.focus();
  }

  captureButton.addEventListener('click', () => {
    if (!video.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    canvas.toBlob((blob) => blob && onCapture?.(blob), 'image/jpeg', 0.92);
  });
  closeButton.addEventListener('click', close);
  section.addEventListener('keydown', (event) => event.key === 'Escape' && close());

  return {
    /** Shows the camera; every Capture press calls handler(jpegBlob). Rejects if access is refused. */
    async open(description, handler) {
      returnFocus = document.activeElement;
      target.textContent = description;
      onCapture = handler;
      if (!stream) {
        try {
          stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        } catch (error) {
          throw new Error(`The camera cannot be used: ${error.message || error.name}.`);
        }
      }
      video.srcObject = stream;
      section.hidden = false;
      captureButton.focus();
    },
    close,
  };
}
