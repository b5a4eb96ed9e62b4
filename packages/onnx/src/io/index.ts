export { readOnnxFile, writeOnnxFile } from './onnxFile.js';
