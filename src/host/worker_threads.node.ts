// The parallel interpreter's threads under Node (browser twin: worker_threads.browser.ts).
export { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
