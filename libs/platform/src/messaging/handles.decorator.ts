import { MessagePattern } from '@nestjs/microservices';
import { Subject } from '@vidivo/contracts';

/** Marks a handler for a request/reply subject of the contracts' message map. */
export const Handles = (subject: Subject): MethodDecorator => MessagePattern(subject);
