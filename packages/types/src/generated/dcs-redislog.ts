/**
 * Generated from spec/dcs-redislog.yaml by openapi-typescript — do not edit; run `pnpm generate`.
 */

export interface paths {
    "/v2/{project_id}/instances/{instance_id}/redislog": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Project ID of the region (IAM `GET /v3/projects`, or the console's *My Credentials*).
                 * @example 0524e839a54847039e9b2b46e8aa788a
                 */
                project_id: components["parameters"]["ProjectId"];
                /**
                 * @description Instance ID.
                 * @example 5560df16-cebf-4473-95c4-d1b573c16e79
                 */
                instance_id: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        /**
         * List Redis run logs
         * @description Lists the collected run log files, one per replica and day. Answers **204 with no body** while there
         *     are no logs. `offset` is the 0-based position of the first record; `total_num` is the number of
         *     records over all pages.
         */
        get: operations["ListRedislog"];
        put?: never;
        /**
         * Collect Redis run logs
         * @description Starts collecting the run logs of the last `query_time` days. Collection is **asynchronous**: the
         *     answer is 204 with no body, and the files appear in [ListRedislog](#operation/ListRedislog) later.
         *     For an instance that is not single-node, `replication_id` is mandatory.
         *
         *     This request has side effects and no idempotency key: do not retry it after it may have reached the
         *     server, except after 429 or 503. A collection while another one runs is refused with `DCS.4017`.
         */
        post: operations["CreateRedislog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/{project_id}/instances/{instance_id}/redislog/{id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Project ID of the region (IAM `GET /v3/projects`, or the console's *My Credentials*).
                 * @example 0524e839a54847039e9b2b46e8aa788a
                 */
                project_id: components["parameters"]["ProjectId"];
                /**
                 * @description Instance ID.
                 * @example 5560df16-cebf-4473-95c4-d1b573c16e79
                 */
                instance_id: components["parameters"]["InstanceId"];
                /**
                 * @description Unique ID of a run log, the `id` of an item from [ListRedislog](#operation/ListRedislog).
                 * @example 3ea6ce21-048e-447a-83c3-3fb004b88439
                 */
                id: components["parameters"]["LogId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a log download link
         * @description Returns a pre-signed object-storage URL for one run log file. The link is valid for **24 hours**.
         *     Download it with a plain `GET` and no DCS authentication headers. The link is a credential: keep it
         *     out of logs. When it has expired (403 from storage), ask for a new one.
         */
        post: operations["CreateRedislogDownloadLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description Log type. Only `run` is supported.
         * @enum {string}
         */
        LogType: "run";
        /**
         * Format: int32
         * @description Days of logs to collect, counted back from today.
         * @enum {integer}
         */
        QueryTime: 0 | 1 | 3 | 7;
        /** @description One collected run log file, for one replica and one day. */
        RunlogItem: {
            /**
             * @description Unique ID of the run log. Pass it to CreateRedislogDownloadLink.
             * @example e79f2d97-e972-41f2-b51c-d18f65f39a45
             */
            id: string;
            /**
             * @description Run log file name.
             * @example redis_192.168.0.142_2021-04-16.log
             */
            file_name: string;
            /**
             * @description Shard name.
             * @example group-0
             */
            group_name: string;
            /**
             * @description IP address of the replica the logs were collected from.
             * @example 192.168.0.142
             */
            replication_ip: string;
            /**
             * @description Run log status. `succeed` means the file is ready. No other value is documented; treat unknown
             *     values as "not ready yet". (The local emulator reports `collecting` before `succeed`.)
             * @example succeed
             */
            status: string;
            /**
             * Format: date
             * @description Day the logs are from, `yyyy-MM-dd`.
             * @example 2021-04-16
             */
            time: string;
            /**
             * @description Log file ID. Missing in some regions.
             * @example e79f2d97-e972-41f2-b51c-d18f65f39a45
             */
            backup_id?: string;
        };
        /** @description One page of run log files. */
        ListRedislogResponse: {
            /**
             * Format: int32
             * @description Number of run log files over all pages.
             */
            total_num: number;
            /** @description The run log files of this page. */
            file_list: components["schemas"]["RunlogItem"][];
        };
        /** @description A pre-signed download link for one run log file. */
        DownloadLink: {
            /**
             * @description Log ID.
             * @example 3ea6ce21-048e-447a-83c3-3fb004b88439
             */
            id: string;
            /**
             * @description Background task ID. Missing in some regions.
             * @example 3ea6ce21-048e-447a-83c3-3fb004b88439
             */
            backup_id?: string;
            /**
             * Format: uri
             * @description Pre-signed object-storage URL, valid for 24 hours. Fetch it with a plain GET and no DCS
             *     authentication headers. It is a credential: do not log it.
             * @example https://bucketxxxxx.obs.eu-de.otc.t-systems.com:443/xxxxx/redis_192.168.0.142_2021-04-16.log?AWSAccessKeyId=xxxxx&Expires=1618617600&Signature=xxxxx
             */
            link: string;
        };
        /** @description Error body sent by DCS. */
        DcsError: {
            /**
             * @description Error code, e.g. `DCS.4800`. Gateway codes such as `APIGW.0308` are longer than DCS codes.
             * @example DCS.4800
             */
            error_code: string;
            /**
             * @description Error message.
             * @example Invalid logType.
             */
            error_msg: string;
            /** @description Extended error information. Not used currently; `null`. */
            error_ext_msg?: string | null;
        };
        /** @description Error body sent by the API gateway in front of DCS (codes `APIGW.xxxx`). */
        GatewayError: {
            /**
             * @description Gateway error code, e.g. `APIGW.0301`. Older pages spell the prefix `APIG.`.
             * @example APIGW.0308
             */
            error_code: string;
            /**
             * @description Error message.
             * @example The throttling threshold has been reached.
             */
            error_msg: string;
            /**
             * @description ID of the request, as in `X-Request-Id`.
             * @example 2f5ef8a1b6f0c1c6a1e4c2a7f0e3d9b8
             */
            request_id: string;
        };
        /** @description Either body; the gateway answers authentication and permission errors itself. */
        ErrorBody: components["schemas"]["DcsError"] | components["schemas"]["GatewayError"];
    };
    responses: {
        /** @description A parameter is invalid (DCS), or the request is malformed (gateway, `APIGW.0201`). */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description The request body is larger than 12 MB (gateway). */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /** @description Authentication failed (bad signature, unknown AK, clock skew, invalid or expired token). */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description The caller may not perform this operation, or the project is not the caller's. */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description The instance or the run log does not exist (DCS), or no API matches the path (gateway, `APIGW.0101`). */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description Throttled by the API gateway. Wait for `Retry-After` seconds, then retry. */
        TooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /** @description Internal service error. Retry later. */
        InternalServerError: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["DcsError"];
            };
        };
        /** @description The API gateway could not reach DCS. Retry later. */
        BadGateway: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /** @description The API gateway or IAM is temporarily unavailable. Retry later. */
        ServiceUnavailable: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
    };
    parameters: {
        /**
         * @description Project ID of the region (IAM `GET /v3/projects`, or the console's *My Credentials*).
         * @example 0524e839a54847039e9b2b46e8aa788a
         */
        ProjectId: string;
        /**
         * @description Instance ID.
         * @example 5560df16-cebf-4473-95c4-d1b573c16e79
         */
        InstanceId: string;
        /**
         * @description Unique ID of a run log, the `id` of an item from [ListRedislog](#operation/ListRedislog).
         * @example 3ea6ce21-048e-447a-83c3-3fb004b88439
         */
        LogId: string;
        /**
         * @description Log type. Only Redis run logs are supported, `run`.
         * @example run
         */
        LogType: components["schemas"]["LogType"];
        /**
         * @description Date offset: collect the logs of the last n days. `0` collects today's logs, `7` the last seven days'.
         * @example 7
         */
        QueryTime: components["schemas"]["QueryTime"];
        /**
         * @description Replica ID, from *Shards and Replicas* (`GET /v2/{project_id}/instance/{instance_id}/groups`,
         *     `group_list[].replication_list[].replication_id`). Mandatory when the instance is not single-node.
         * @example 6a2bc1e0-0f7e-4c69-9c5d-3b6f0e4a2d11
         */
        ReplicationId: string;
        /**
         * @description 0-based position of the first record; offset 3 starts the page at the fourth record.
         * @example 0
         */
        Offset: number;
        /**
         * @description Number of records on a page.
         * @example 10
         */
        Limit: number;
    };
    requestBodies: never;
    headers: {
        /**
         * @description ID of this request. Quote it when you contact support.
         * @example 2f5ef8a1b6f0c1c6a1e4c2a7f0e3d9b8
         */
        XRequestId: string;
        /**
         * @description Seconds to wait before the next request.
         * @example 1
         */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    ListRedislog: {
        parameters: {
            query: {
                /**
                 * @description Log type. Only Redis run logs are supported, `run`.
                 * @example run
                 */
                log_type: components["parameters"]["LogType"];
                /**
                 * @description 0-based position of the first record; offset 3 starts the page at the fourth record.
                 * @example 0
                 */
                offset?: components["parameters"]["Offset"];
                /**
                 * @description Number of records on a page.
                 * @example 10
                 */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /**
                 * @description Project ID of the region (IAM `GET /v3/projects`, or the console's *My Credentials*).
                 * @example 0524e839a54847039e9b2b46e8aa788a
                 */
                project_id: components["parameters"]["ProjectId"];
                /**
                 * @description Instance ID.
                 * @example 5560df16-cebf-4473-95c4-d1b573c16e79
                 */
                instance_id: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Run logs listed. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListRedislogResponse"];
                };
            };
            /** @description Queried successfully and no log is found. No body. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            502: components["responses"]["BadGateway"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    CreateRedislog: {
        parameters: {
            query: {
                /**
                 * @description Log type. Only Redis run logs are supported, `run`.
                 * @example run
                 */
                log_type: components["parameters"]["LogType"];
                /**
                 * @description Date offset: collect the logs of the last n days. `0` collects today's logs, `7` the last seven days'.
                 * @example 7
                 */
                query_time?: components["parameters"]["QueryTime"];
                /**
                 * @description Replica ID, from *Shards and Replicas* (`GET /v2/{project_id}/instance/{instance_id}/groups`,
                 *     `group_list[].replication_list[].replication_id`). Mandatory when the instance is not single-node.
                 * @example 6a2bc1e0-0f7e-4c69-9c5d-3b6f0e4a2d11
                 */
                replication_id?: components["parameters"]["ReplicationId"];
            };
            header?: never;
            path: {
                /**
                 * @description Project ID of the region (IAM `GET /v3/projects`, or the console's *My Credentials*).
                 * @example 0524e839a54847039e9b2b46e8aa788a
                 */
                project_id: components["parameters"]["ProjectId"];
                /**
                 * @description Instance ID.
                 * @example 5560df16-cebf-4473-95c4-d1b573c16e79
                 */
                instance_id: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Run logs are being collected. No body. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            502: components["responses"]["BadGateway"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    CreateRedislogDownloadLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Project ID of the region (IAM `GET /v3/projects`, or the console's *My Credentials*).
                 * @example 0524e839a54847039e9b2b46e8aa788a
                 */
                project_id: components["parameters"]["ProjectId"];
                /**
                 * @description Instance ID.
                 * @example 5560df16-cebf-4473-95c4-d1b573c16e79
                 */
                instance_id: components["parameters"]["InstanceId"];
                /**
                 * @description Unique ID of a run log, the `id` of an item from [ListRedislog](#operation/ListRedislog).
                 * @example 3ea6ce21-048e-447a-83c3-3fb004b88439
                 */
                id: components["parameters"]["LogId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Download link created. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLink"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            502: components["responses"]["BadGateway"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
