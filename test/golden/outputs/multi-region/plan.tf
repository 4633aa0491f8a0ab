# serverless-lb: Terraform configuration for load balancer "multi-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

variable "project" {
  description = "Google Cloud project that holds the load balancer"
  type        = string
  default     = "demo-project"
}

provider "google" {
  project = var.project
}

# external IP address of the load balancer
resource "google_compute_global_address" "multi_lb_ip" {
  name         = "multi-lb-ip"
  description  = "[serverless-lb:multi-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "multi-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "multi_lb_cert" {
  name        = "multi-lb-cert"
  description = "[serverless-lb:multi-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["example.com", "www.example.com", "api.example.com", "canary.example.com"]
  }
}

# serverless NEG in europe-west1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "multi_lb_web_neg_europe_west1" {
  name                  = "multi-lb-web-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:multi-lb] serverless NEG in europe-west1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# serverless NEG in us-central1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "multi_lb_web_neg_us_central1" {
  name                  = "multi-lb-web-neg-us-central1"
  region                = "us-central1"
  description           = "[serverless-lb:multi-lb] serverless NEG in us-central1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# serverless NEG in asia-northeast1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "multi_lb_web_neg_asia_northeast1" {
  name                  = "multi-lb-web-neg-asia-northeast1"
  region                = "asia-northeast1"
  description           = "[serverless-lb:multi-lb] serverless NEG in asia-northeast1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# serverless NEG in europe-west1 for backend api: Cloud Run service api
resource "google_compute_region_network_endpoint_group" "multi_lb_api_neg_europe_west1" {
  name                  = "multi-lb-api-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:multi-lb] serverless NEG in europe-west1 for backend api: Cloud Run service api"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "api"
  }
}

# serverless NEG in us-central1 for backend api: Cloud Run service api
resource "google_compute_region_network_endpoint_group" "multi_lb_api_neg_us_central1" {
  name                  = "multi-lb-api-neg-us-central1"
  region                = "us-central1"
  description           = "[serverless-lb:multi-lb] serverless NEG in us-central1 for backend api: Cloud Run service api"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "api"
  }
}

# serverless NEG in europe-west1 for backend canary: Cloud Run service web (tag canary)
resource "google_compute_region_network_endpoint_group" "multi_lb_canary_neg_europe_west1" {
  name                  = "multi-lb-canary-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:multi-lb] serverless NEG in europe-west1 for backend canary: Cloud Run service web (tag canary)"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
    tag     = "canary"
  }
}

# serverless NEG in europe-west1 for backend static: Cloud Run service static
resource "google_compute_region_network_endpoint_group" "multi_lb_static_neg_europe_west1" {
  name                  = "multi-lb-static-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:multi-lb] serverless NEG in europe-west1 for backend static: Cloud Run service static"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "static"
  }
}

# serverless NEG in europe-west1 for backend admin: Cloud Run service admin
resource "google_compute_region_network_endpoint_group" "multi_lb_admin_neg_europe_west1" {
  name                  = "multi-lb-admin-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:multi-lb] serverless NEG in europe-west1 for backend admin: Cloud Run service admin"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "admin"
  }
}

# backend service for backend web
resource "google_compute_backend_service" "multi_lb_web_bs" {
  name                  = "multi-lb-web-bs"
  description           = "[serverless-lb:multi-lb] backend service for backend web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.multi_lb_web_neg_europe_west1.id
  }

  backend {
    group = google_compute_region_network_endpoint_group.multi_lb_web_neg_us_central1.id
  }

  backend {
    group = google_compute_region_network_endpoint_group.multi_lb_web_neg_asia_northeast1.id
  }

  log_config {
    enable      = true
    sample_rate = 0.5
  }

  outlier_detection {
    consecutive_errors   = 5
    max_ejection_percent = 50

    base_ejection_time {
      seconds = 30
    }

    interval {
      seconds = 10
    }
  }
}

# backend service for backend api
resource "google_compute_backend_service" "multi_lb_api_bs" {
  name                  = "multi-lb-api-bs"
  description           = "[serverless-lb:multi-lb] backend service for backend api"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.multi_lb_api_neg_europe_west1.id
  }

  backend {
    group = google_compute_region_network_endpoint_group.multi_lb_api_neg_us_central1.id
  }

  log_config {
    enable      = true
    sample_rate = 0.5
  }

  outlier_detection {
    consecutive_errors   = 5
    max_ejection_percent = 50

    base_ejection_time {
      seconds = 30
    }

    interval {
      seconds = 10
    }
  }
}

# backend service for backend canary
resource "google_compute_backend_service" "multi_lb_canary_bs" {
  name                  = "multi-lb-canary-bs"
  description           = "[serverless-lb:multi-lb] backend service for backend canary"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.multi_lb_canary_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 0.5
  }

  outlier_detection {
    consecutive_errors   = 5
    max_ejection_percent = 50

    base_ejection_time {
      seconds = 30
    }

    interval {
      seconds = 10
    }
  }
}

# backend service for backend static
resource "google_compute_backend_service" "multi_lb_static_bs" {
  name                  = "multi-lb-static-bs"
  description           = "[serverless-lb:multi-lb] backend service for backend static"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = true

  backend {
    group = google_compute_region_network_endpoint_group.multi_lb_static_neg_europe_west1.id
  }

  cdn_policy {
    cache_mode = "CACHE_ALL_STATIC"
  }

  log_config {
    enable      = true
    sample_rate = 0.5
  }

  outlier_detection {
    consecutive_errors   = 5
    max_ejection_percent = 50

    base_ejection_time {
      seconds = 30
    }

    interval {
      seconds = 10
    }
  }
}

# backend service for backend admin
resource "google_compute_backend_service" "multi_lb_admin_bs" {
  name                  = "multi-lb-admin-bs"
  description           = "[serverless-lb:multi-lb] backend service for backend admin"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.multi_lb_admin_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 0.5
  }

  outlier_detection {
    consecutive_errors   = 5
    max_ejection_percent = 50

    base_ejection_time {
      seconds = 30
    }

    interval {
      seconds = 10
    }
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "multi_lb_urlmap" {
  name            = "multi-lb-urlmap"
  description     = "[serverless-lb:multi-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.multi_lb_web_bs.id

  host_rule {
    hosts        = ["example.com", "www.example.com"]
    path_matcher = "hosts-1"
  }

  host_rule {
    hosts        = ["api.example.com"]
    path_matcher = "hosts-2"
  }

  host_rule {
    hosts        = ["canary.example.com"]
    path_matcher = "hosts-3"
  }

  path_matcher {
    name            = "hosts-1"
    default_service = google_compute_backend_service.multi_lb_web_bs.id

    path_rule {
      paths   = ["/static", "/static/*"]
      service = google_compute_backend_service.multi_lb_static_bs.id
    }

    path_rule {
      paths   = ["/admin", "/admin/*"]
      service = google_compute_backend_service.multi_lb_admin_bs.id
    }
  }

  path_matcher {
    name            = "hosts-2"
    default_service = google_compute_backend_service.multi_lb_api_bs.id
  }

  path_matcher {
    name            = "hosts-3"
    default_service = google_compute_backend_service.multi_lb_canary_bs.id
  }
}

# URL map that redirects HTTP to HTTPS
resource "google_compute_url_map" "multi_lb_redirect_urlmap" {
  name        = "multi-lb-redirect-urlmap"
  description = "[serverless-lb:multi-lb] URL map that redirects HTTP to HTTPS"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "multi_lb_https_proxy" {
  name                        = "multi-lb-https-proxy"
  description                 = "[serverless-lb:multi-lb] HTTPS proxy: terminates TLS"
  url_map                     = google_compute_url_map.multi_lb_urlmap.id
  ssl_certificates            = [google_compute_managed_ssl_certificate.multi_lb_cert.id]
  http_keep_alive_timeout_sec = 610
}

# HTTP proxy that redirects to HTTPS
resource "google_compute_target_http_proxy" "multi_lb_http_proxy" {
  name                        = "multi-lb-http-proxy"
  description                 = "[serverless-lb:multi-lb] HTTP proxy that redirects to HTTPS"
  url_map                     = google_compute_url_map.multi_lb_redirect_urlmap.id
  http_keep_alive_timeout_sec = 610
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "multi_lb_https_fr" {
  name                  = "multi-lb-https-fr"
  description           = "[serverless-lb:multi-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.multi_lb_ip.id
  target                = google_compute_target_https_proxy.multi_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "multi-lb"
  }
}

# HTTP (redirect) forwarding rule on port 80
resource "google_compute_global_forwarding_rule" "multi_lb_http_fr" {
  name                  = "multi-lb-http-fr"
  description           = "[serverless-lb:multi-lb] HTTP (redirect) forwarding rule on port 80"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "80"
  ip_address            = google_compute_global_address.multi_lb_ip.id
  target                = google_compute_target_http_proxy.multi_lb_http_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "multi-lb"
  }
}

# A record for example.com in zone example-com
resource "google_dns_record_set" "example_com_" {
  name         = "example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.multi_lb_ip.address]
  depends_on   = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# A record for www.example.com in zone example-com
resource "google_dns_record_set" "www_example_com_" {
  name         = "www.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.multi_lb_ip.address]
  depends_on   = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# A record for api.example.com in zone example-com
resource "google_dns_record_set" "api_example_com_" {
  name         = "api.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.multi_lb_ip.address]
  depends_on   = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# A record for canary.example.com in zone example-com
resource "google_dns_record_set" "canary_example_com_" {
  name         = "canary.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.multi_lb_ip.address]
  depends_on   = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web" {
  project    = var.project
  location   = "europe-west1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service web in us-central1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web_us_central1" {
  project    = var.project
  location   = "us-central1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service web in asia-northeast1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web_asia_northeast1" {
  project    = var.project
  location   = "asia-northeast1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service api in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "api" {
  project    = var.project
  location   = "europe-west1"
  name       = "api"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service api in us-central1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "api_us_central1" {
  project    = var.project
  location   = "us-central1"
  name       = "api"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service static in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "static" {
  project    = var.project
  location   = "europe-west1"
  name       = "static"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service admin in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "admin" {
  project    = var.project
  location   = "europe-west1"
  name       = "admin"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.multi_lb_https_fr,
    google_compute_global_forwarding_rule.multi_lb_http_fr,
  ]
}

# Cloud Run service web (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service web (us-central1): not managed by this configuration.
# restrict ingress of Cloud Run service web in us-central1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=us-central1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service web (asia-northeast1): not managed by this configuration.
# restrict ingress of Cloud Run service web in asia-northeast1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=asia-northeast1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service api (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service api in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update api --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service api (us-central1): not managed by this configuration.
# restrict ingress of Cloud Run service api in us-central1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update api --region=us-central1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service static (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service static in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update static --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service admin (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service admin in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update admin --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
