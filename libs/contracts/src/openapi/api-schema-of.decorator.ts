import { ApiSchema } from '@nestjs/swagger';

type ExtraFields<Shape, Schema> = Exclude<keyof Schema, keyof Shape>;
type WithoutExtraFields<Shape, Schema> = [ExtraFields<Shape, Schema>] extends [never] ? Schema : { [Field in ExtraFields<Shape, Schema>]: never };

/**
 * Names a response schema class in the OpenAPI document and ties it to the wire type it documents:
 * the type check fails when the class lacks a field of `Shape`, types one differently, or documents
 * one `Shape` does not have. So an interface of the wire cannot change without its schema.
 */
export function ApiSchemaOf<Shape>(name: string, description?: string) {
  return <Schema extends new () => Shape>(schema: Schema & (new () => WithoutExtraFields<Shape, InstanceType<Schema>>)): void => {
    ApiSchema({ name, description })(schema);
  };
}
