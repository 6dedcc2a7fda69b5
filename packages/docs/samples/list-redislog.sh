# Credentials and region from the environment: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK,
# HUAWEICLOUD_SDK_PROJECT_ID and DCS_REGION (e.g. eu-de).
dcs-redislog list --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --offset 0 --limit 10

# Every file, all pages, as JSON.
dcs-redislog list --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --all --json
